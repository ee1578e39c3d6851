/**
 * acrkit's own names for the MSAL.js types that MsalBrowserCredential takes and gives. acrkit's declarations do not
 * import `@azure/msal-browser`'s: a CommonJS consumer could not compile those with skipLibCheck off. MSAL's
 * `PublicClientApplication`, `Configuration` and `AccountInfo` fit these as they are.
 * @module
 */

/** A signed-in account as MSAL.js reports it (MSAL's `AccountInfo`, which has more fields than the ones named here). */
export interface MsalBrowserAccount {
  /** The account's id across tenants (`<object id>.<home tenant id>`). */
  homeAccountId: string;
  /** The authority host that signed the account in. */
  environment: string;
  /** The tenant of this account object. */
  tenantId: string;
  /** The sign-in name, usually an email address. */
  username: string;
  /** The account's object id in `tenantId`. */
  localAccountId: string;
  /** The display name, when the ID token carries one. */
  name?: string;
}

/**
 * MSAL.js's configuration (its `Configuration`): `auth.clientId` at least. Every other MSAL setting (`cache`,
 * `system`, more `auth` fields) is passed to MSAL as it is.
 */
export interface MsalBrowserConfiguration {
  /** The app registration and the authority. */
  auth: {
    /** The application (client) id of the app registration. */
    clientId: string;
    /** The authority URL, e.g. `https://login.microsoftonline.com/<tenant id>`. */
    authority?: string;
    /** Where the authority sends the user back to; default the page's URL. */
    redirectUri?: string;
    /** Other MSAL `auth` settings, passed through. */
    [setting: string]: unknown;
  };
  /** Other MSAL sections (`cache`, `system`, ...), passed through. */
  [section: string]: unknown;
}

/** A token request as MSAL.js takes it: the scopes, and the account or login hint. */
export interface MsalBrowserTokenRequest {
  /** The scopes to get a token for. */
  scopes: string[];
  /** The account to get it silently for. */
  account?: MsalBrowserAccount;
  /** Prefills the login page's username. */
  loginHint?: string;
}

/** What MSAL.js answers a token request with (its `AuthenticationResult`, which has more fields). */
export interface MsalBrowserTokenResult {
  /** The access token. */
  accessToken: string;
  /** When the access token expires. */
  expiresOn: Date | null;
  /** The account that signed in. */
  account: MsalBrowserAccount | null;
}

/**
 * The MSAL.js application MsalBrowserCredential drives: a `PublicClientApplication` (MSAL's
 * `IPublicClientApplication`, of which these are the methods acrkit calls and an app needs for accounts and sign-out).
 */
export interface MsalBrowserApplication {
  /** Loads MSAL's cache; needed once before any other call. */
  initialize(): Promise<void>;
  /** Consumes the answer of a redirect sign-in, if the page was loaded with one. */
  handleRedirectPromise(): Promise<MsalBrowserTokenResult | null>;
  /** A token from the cache or by silent renewal. */
  acquireTokenSilent(request: MsalBrowserTokenRequest): Promise<MsalBrowserTokenResult>;
  /** A token after the user signs in through a popup. */
  acquireTokenPopup(request: MsalBrowserTokenRequest): Promise<MsalBrowserTokenResult>;
  /** Navigates away to sign the user in; the token comes back with `handleRedirectPromise`. */
  acquireTokenRedirect(request: MsalBrowserTokenRequest): Promise<void>;
  /** The account calls use when none is given. */
  getActiveAccount(): MsalBrowserAccount | null;
  /** Sets the account calls use when none is given. */
  setActiveAccount(account: MsalBrowserAccount | null): void;
  /** Every signed-in account in MSAL's cache. */
  getAllAccounts(): MsalBrowserAccount[];
  /** Signs the user out through a popup. */
  logoutPopup(request?: object): Promise<void>;
  /** Signs the user out by navigating to the authority. */
  logoutRedirect(request?: object): Promise<void>;
}
