/**
 * `acrkit/browser`: everything of `acrkit`, plus what needs a browser.
 * @module
 */
export * from "../../index";
export { MsalBrowserCredential, type MsalBrowserCredentialOptions } from "./credentials/msal-browser-credential";
export type {
  MsalBrowserAccount,
  MsalBrowserApplication,
  MsalBrowserConfiguration,
  MsalBrowserTokenRequest,
  MsalBrowserTokenResult,
} from "./credentials/msal-browser-types";
export { RedirectInProgressError } from "./credentials/redirect-in-progress-error";
export {
  CredentialAuthenticationError,
  type AuthenticationErrorDetails,
} from "../shared/credential-authentication-error";
export { MsalNotInstalledError, type MsalPackageName } from "../shared/msal-not-installed-error";
export { saveBlob, type SaveBlobOptions } from "./save-blob";
export {
  browserWorkerHasherFactory,
  createBrowserWorkerHasherFactory,
  DEFAULT_BROWSER_WORKER_HASH_THRESHOLD,
  type BrowserWorkerHasherOptions,
} from "./worker-hasher";

import { setDefaultHasherFactory } from "../../core/digest/default-hasher";
import { browserWorkerHasherFactory } from "./worker-hasher";

// Large transfers hash in a Web Worker so that the page stays responsive; importing acrkit/browser makes it every
// new client's default (small ones stay on hash-wasm on the main thread).
setDefaultHasherFactory(browserWorkerHasherFactory);
