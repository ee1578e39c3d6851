import { AcrkitError } from "../../../core/errors/acrkit-error";
/** An OCI image layout directory that cannot be used: not a layout, no image under the name asked for, bad content. */
export class OciLayoutError extends AcrkitError {
  /** Always `"OciLayoutError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "OciLayoutError";
  /** The layout directory. */
  readonly directory: string;
  /** The image name (`org.opencontainers.image.ref.name`) looked for, if any. */
  readonly reference: string | undefined;
  /** The image names the layout's index.json does have, for a reference that was not found. */
  readonly available: string[];

  constructor(message: string, directory: string, details: { reference?: string; available?: string[] } = {}) {
    super(message);
    this.directory = directory;
    this.reference = details.reference;
    this.available = details.available ?? [];
  }
}
