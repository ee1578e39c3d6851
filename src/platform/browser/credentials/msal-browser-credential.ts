/**
 * MsalBrowserCredential: delegated sign-in from a browser page through MSAL.js.
 * @module
 */
import type { AccountInfo, AuthenticationResult, Configuration, IPublicClientApplication } from "@azure/msal-browser";
import type { AccessToken, GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { raceSignal } from "../../../core/utils/abort";
// A plain error class with no Node dependency, shared so both entries throw the same type.
import { CredentialAuthenticationError } from "../../shared/credential-authentication-error";
import { isMsalError } from "../../shared/msal-error-fields";
import { loadMsalBrowser } from "./msal-browser-loader";
import type { MsalBrowserAccount, MsalBrowserApplication, MsalBrowserConfiguration } from "./msal-browser-types";
import { RedirectInProgressError } from "./redirect-in-progress-error";

/** Options of {@link MsalBrowserCredential}. */
export interface MsalBrowserCredentialOptions {
  /** How to sign the user in when no token can be had silently; default `"popup"`. */
  interaction?: "popup" | "redirect";
  /** Prefills the login page's username. */
  loginHint?: string;
  /** Which signed-in account to use when there are several and none is active. */
  selectAccount?: (accounts: MsalBrowserAccount[]) => MsalBrowserAccount | undefined;
}

const NAME = "MsalBrowserCredential";

function isApplication(value: MsalBrowserApplication | MsalBrowserConfiguration): value is MsalBrowserApplication {
  return typeof (value as MsalBrowserApplication).acquireTokenSilent === "function";
}

function toAccessToken(result: AuthenticationResult): AccessToken {
  if (!result.accessToken || !result.expiresOn)
    throw new CredentialAuthenticationError(NAME, "the authority returned no access token");
  return { token: result.accessToken, expiresOnTimestamp: result.expiresOn.getTime() };
}

function wrap(err: unknown): unknown {
  if (err instanceof CredentialAuthenticationError || err instanceof RedirectInProgressError) return err;
  if (isMsalError(err)) {
    return new CredentialAuthenticationError(NAME, `${err.errorCode}: ${err.errorMessage || err.message}`, {
      errorCode: err.errorCode,
      correlationId: err.correlationId || undefined,
      cause: err,
    });
  }
  return err;
}

/**
 * Signs a user in from a browser page with MSAL.js (`@azure/msal-browser`), for dashboards and other single-page
 * apps. `getToken` first tries MSAL's cache and silent renewal for the active (or only) account, then asks the user
 * through a popup (default) or a full-page redirect. Only one interaction runs at a time: concurrent calls wait
 * for it. The redirect result is picked up once, when the credential starts. Given a configuration, it loads
 * `@azure/msal-browser` (an optional peer dependency) when it starts; given an application, it loads nothing.
 *
 * @example
 * ```ts
 * const credential = new MsalBrowserCredential({ auth: { clientId, authority: `https://login.microsoftonline.com/${tenantId}` } });
 * const client = new ContainerRegistryClient("https://myregistry.azurecr.io", credential);
 * ```
 */
export class MsalBrowserCredential implements TokenCredential {
  #app?: IPublicClientApplication;
  readonly #configuration?: Configuration;
  readonly #options: MsalBrowserCredentialOptions;
  #ready?: Promise<IPublicClientApplication>;
  #interaction?: Promise<unknown>;

  /**
   * @param app - a `PublicClientApplication` (initialized or not), or the configuration to create one
   * @param options - popup or redirect, login hint, account selection
   */
  constructor(app: MsalBrowserApplication | MsalBrowserConfiguration, options: MsalBrowserCredentialOptions = {}) {
    // The public types are acrkit's own copies of MSAL's; the objects are MSAL's.
    if (isApplication(app)) this.#app = app as IPublicClientApplication;
    else this.#configuration = app as Configuration;
    this.#options = options;
  }

  /**
   * The MSAL application, for sign-out or account management. A credential given a configuration creates it when it
   * starts: read it once `initialize()` (or a first `getToken`) has resolved.
   * @throws Error when read before the application exists
   */
  get application(): MsalBrowserApplication {
    if (!this.#app)
      throw new Error(`${NAME}.application is created by initialize(): await credential.initialize() first`);
    return this.#app as MsalBrowserApplication;
  }

  /** Initializes MSAL and consumes a redirect response, once; `getToken` calls it, pages may call it early. */
  async initialize(): Promise<void> {
    await this.#started();
  }

  /** The application, initialized and with the redirect response consumed. */
  #started(): Promise<IPublicClientApplication> {
    this.#ready ??= this.#start();
    return this.#ready;
  }

  async #start(): Promise<IPublicClientApplication> {
    const app = await this.#createApplication();
    await app.initialize();
    try {
      const result = await app.handleRedirectPromise();
      if (result?.account) app.setActiveAccount(result.account);
    } catch (err) {
      // A failed redirect sign-in (cancelled, denied) is consumed by MSAL all the same: report it to the calls
      // waiting now, but let later calls start afresh instead of failing forever until the page reloads.
      this.#ready = Promise.resolve(app);
      throw err;
    }
    return app;
  }

  async #createApplication(): Promise<IPublicClientApplication> {
    if (this.#app) return this.#app;
    try {
      const { PublicClientApplication } = await loadMsalBrowser(NAME);
      this.#app = new PublicClientApplication(this.#configuration!);
      return this.#app;
    } catch (err) {
      // Nothing was started: a later call may find the package (a page that loads it on demand).
      this.#ready = undefined;
      throw err;
    }
  }

  /**
   * Returns a delegated access token for the scopes: silently when MSAL can, else after the user signs in.
   * @throws {@link CredentialAuthenticationError} when sign-in fails or is cancelled
   * @throws {@link RedirectInProgressError} in redirect mode, when the page is navigating away to sign in
   * @throws {@link MsalNotInstalledError} (a CredentialAuthenticationError) when the credential was given a
   *   configuration and `@azure/msal-browser` is not installed
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const list = (Array.isArray(scopes) ? scopes : [scopes]).filter(Boolean);
    if (list.length === 0) throw new TypeError(`${NAME}.getToken needs at least one scope`);
    try {
      const app = await raceSignal(this.#started(), options?.abortSignal);
      for (;;) {
        const silent = await this.#trySilent(app, list);
        if (silent) return silent;
        if (!this.#interaction) break;
        // Another call is already signing the user in; its account may serve this call silently.
        await raceSignal(
          this.#interaction.catch(() => undefined),
          options?.abortSignal,
        );
      }
      const interaction = this.#interact(app, list);
      this.#interaction = interaction;
      try {
        return await raceSignal(interaction, options?.abortSignal);
      } finally {
        if (this.#interaction === interaction) this.#interaction = undefined;
      }
    } catch (err) {
      throw wrap(err);
    }
  }

  #account(app: IPublicClientApplication): AccountInfo | undefined {
    const active = app.getActiveAccount();
    if (active) return active;
    const accounts = app.getAllAccounts();
    if (this.#options.selectAccount) return this.#options.selectAccount(accounts) as AccountInfo | undefined;
    return accounts.length === 1 ? accounts[0] : undefined;
  }

  async #trySilent(app: IPublicClientApplication, scopes: string[]): Promise<AccessToken | undefined> {
    const account = this.#account(app);
    if (!account) return undefined;
    try {
      return toAccessToken(await app.acquireTokenSilent({ scopes, account }));
    } catch {
      // Expired session, consent needed, or no refresh token: the user has to interact.
      return undefined;
    }
  }

  async #interact(app: IPublicClientApplication, scopes: string[]): Promise<AccessToken> {
    const request = { scopes, loginHint: this.#options.loginHint };
    if (this.#options.interaction === "redirect") {
      await app.acquireTokenRedirect(request);
      throw new RedirectInProgressError();
    }
    const result = await app.acquireTokenPopup(request);
    if (result.account) app.setActiveAccount(result.account);
    return toAccessToken(result);
  }
}
