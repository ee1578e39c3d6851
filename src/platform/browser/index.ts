/**
 * `acrkit/browser`: everything of `acrkit`, plus what needs a browser.
 * @module
 */
export * from "../../index";
export { MsalBrowserCredential, type MsalBrowserCredentialOptions } from "./credentials/msal-browser-credential";
export type {
  MsalBrowserAccount, MsalBrowserApplication, MsalBrowserConfiguration, MsalBrowserTokenRequest, MsalBrowserTokenResult,
} from "./credentials/msal-browser-types";
export { RedirectInProgressError } from "./credentials/redirect-in-progress-error";
export { CredentialAuthenticationError, type AuthenticationErrorDetails } from "../shared/credential-authentication-error";
export { saveBlob, type SaveBlobOptions } from "./save-blob";
