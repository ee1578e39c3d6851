import { AcrkitError } from "./acrkit-error";

/**
 * A manifest that is not an artifact acrkit can read as files: an image index, a Docker manifest list, or a
 * manifest whose `layers` are not descriptors. Nothing was downloaded.
 */
export class InvalidArtifactError extends AcrkitError {
  /** Always `"InvalidArtifactError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "InvalidArtifactError";

  /**
   * @param repository - the repository the manifest is in
   * @param digest - the manifest's digest
   * @param mediaType - the manifest's media type
   * @param problem - what is wrong with it, as a sentence fragment
   */
  constructor(
    readonly repository: string,
    readonly digest: string,
    readonly mediaType: string,
    readonly problem: string,
  ) {
    super(`${repository}@${digest} (${mediaType}) is not an artifact of files: ${problem}`);
  }
}
