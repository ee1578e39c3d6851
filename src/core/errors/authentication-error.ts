import { AcrkitError } from "./acrkit-error";
/** The registry refused every credential acrkit could present, or a credential could not produce a token. */
export class AuthenticationError extends AcrkitError {
  /** The error's class name, `"AuthenticationError"`, or the subclass's name (e.g. `"CredentialAuthenticationError"`); for logs and checks across realms where `instanceof` fails. */
  override readonly name: string = "AuthenticationError";

  /**
   * @param message - what failed, without any secret
   * @param scope - the access scope that was being requested, e.g. `repository:app:pull`
   * @param options - the underlying error as `cause`
   */
  constructor(message: string, readonly scope?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
