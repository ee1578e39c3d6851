import { AcrkitError } from "./acrkit-error";
/** Content whose SHA digest differs from the one expected: a download, a manifest, or a registry's answer to an upload. */
export class DigestValidationError extends AcrkitError {
  /** Always `"DigestValidationError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "DigestValidationError";

  /**
   * @param expected - the digest the content should have had
   * @param actual - the digest it had (computed locally, or as the registry reported it)
   * @param message - what was being checked
   */
  constructor(
    readonly expected: string,
    readonly actual: string,
    message = `Digest mismatch: expected ${expected}, got ${actual}`,
  ) {
    super(message);
  }
}
