import { AcrkitError } from "./acrkit-error";

/**
 * A file name of an artifact that would be written outside the target directory (`../x`, `/etc/x`, `C:\x`), is
 * empty, or names the same file twice. Raised before any file is written.
 */
export class UnsafeArtifactPathError extends AcrkitError {
  /** Always `"UnsafeArtifactPathError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "UnsafeArtifactPathError";

  /**
   * @param title - the file name as the artifact gives it (its layer's `org.opencontainers.image.title`)
   * @param directory - the directory the files were to be written to
   * @param problem - why it is refused, as a sentence fragment
   */
  constructor(
    readonly title: string,
    readonly directory: string,
    readonly problem: string,
  ) {
    super(
      `Refusing the artifact file name ${JSON.stringify(title.slice(0, 200))}: ${problem} (target directory ${directory})`,
    );
  }
}
