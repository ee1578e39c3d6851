/**
 * @module
 */
import { AcrkitError } from "../../../core/errors/acrkit-error";

/**
 * `getToken` started a sign-in by redirect: the page is navigating to the authority and the token will be
 * available after it comes back (the credential then picks the result up from `handleRedirectPromise`).
 */
export class RedirectInProgressError extends AcrkitError {
  /** Always `"RedirectInProgressError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override name = "RedirectInProgressError";
  /** The credential that redirected. */
  readonly credentialName = "MsalBrowserCredential";

  constructor() {
    super("MsalBrowserCredential is redirecting the page to sign in; the token is available once the page comes back");
  }
}
