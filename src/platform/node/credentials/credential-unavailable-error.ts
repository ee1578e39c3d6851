/**
 * @module
 */
import { AcrkitError } from "../../../core/errors/acrkit-error";

/**
 * A credential cannot even try in this environment: its configuration is missing (environment variables unset) or
 * its token source does not exist here (no managed identity endpoint). A chain such as `DefaultAzureCredential`
 * moves on to its next credential on this error.
 */
export class CredentialUnavailableError extends AcrkitError {
  /** Always `"CredentialUnavailableError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override name = "CredentialUnavailableError";

  /**
   * @param credentialName - the credential class that is unavailable, e.g. `"EnvironmentCredential"`
   * @param message - what is missing; never holds a secret
   * @param options - `cause`: the underlying error, when there is one
   */
  constructor(
    readonly credentialName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${credentialName} is unavailable: ${message}`, options);
  }
}
