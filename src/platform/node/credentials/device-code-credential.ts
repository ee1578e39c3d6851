/**
 * @module
 */
import type { AccountInfo, DeviceCodeRequest, PublicClientApplication } from "@azure/msal-node";
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { raceSignal } from "../../../core/utils/abort";
import { createdOnFirstUse } from "./created-on-first-use";
import {
  type MsalAccessToken,
  type MsalNodeCredentialOptions,
  authorityConfig,
  authorityForTenant,
  checkTenantId,
  normalizeScopes,
  systemConfig,
  toAccessToken,
  wrapError,
} from "./msal-node-common";
import { loadMsalNode } from "./msal-node-loader";

/** What the user must be told to sign in on another device. */
export interface DeviceCodeInfo {
  /** The code to enter. */
  userCode: string;
  /** The page where to enter it. */
  verificationUri: string;
  /** Entra ID's ready-made sentence with both. */
  message: string;
  /** When the code stops working. */
  expiresOn: Date;
}

/** Shows a {@link DeviceCodeInfo} to the user. */
export type DeviceCodePromptCallback = (info: DeviceCodeInfo) => void;

/** Options of {@link DeviceCodeCredential}. */
export type DeviceCodeCredentialOptions = MsalNodeCredentialOptions;

const NAME = "DeviceCodeCredential";

/**
 * A user signs in on another device (a browser on a phone or laptop) with a code this process shows: command
 * line tools, SSH sessions, containers without a browser. Built on MSAL-node's `PublicClientApplication`
 * (`@azure/msal-node`, loaded on the first `getToken`): after the first sign-in, tokens come from MSAL's cache and
 * are renewed silently with the refresh token; the user is asked again only when that fails. Only one sign-in runs
 * at a time: concurrent calls wait for it.
 */
export class DeviceCodeCredential implements TokenCredential {
  readonly #app: () => Promise<PublicClientApplication>;
  readonly #tenantId: string;
  readonly #options: DeviceCodeCredentialOptions;
  readonly #onDeviceCode: DeviceCodePromptCallback;
  #account?: AccountInfo;
  #interaction?: Promise<unknown>;

  /**
   * @param tenantId - the tenant id, or `organizations` for any work account
   * @param clientId - a public client app registration's application id
   * @param onDeviceCode - shows the user code and verification URI; by default the message is printed to the console
   * @param options - authority host and trust, CA certificates, network client
   */
  constructor(
    tenantId: string,
    clientId: string,
    onDeviceCode?: DeviceCodePromptCallback,
    options: DeviceCodeCredentialOptions = {},
  ) {
    checkTenantId(tenantId, NAME);
    if (!clientId || typeof clientId !== "string") throw new TypeError(`${NAME} needs a client id`);
    this.#tenantId = tenantId;
    this.#options = options;
    this.#onDeviceCode = onDeviceCode ?? ((info) => console.log(info.message));
    const auth = { clientId, ...authorityConfig(tenantId, options) };
    this.#app = createdOnFirstUse(async () => {
      const { PublicClientApplication } = await loadMsalNode(NAME);
      return new PublicClientApplication({ auth, system: systemConfig(options) });
    });
  }

  /**
   * Returns a delegated access token for the scopes: silently when MSAL can, else after the user signs in with a
   * device code.
   * @throws {@link AuthenticationError} when sign-in fails, is declined or times out
   * @throws {@link MsalNotInstalledError} (an AuthenticationError) when `@azure/msal-node` is not installed
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    const list = normalizeScopes(scopes, NAME);
    const authority = authorityForTenant(options, this.#tenantId, this.#options, NAME);
    try {
      const app = await raceSignal(this.#app(), options?.abortSignal);
      for (;;) {
        const silent = await this.#trySilent(app, list, authority);
        if (silent) return silent;
        if (!this.#interaction) break;
        // Someone else is signing the user in; use that sign-in's account once it finishes.
        await this.#interaction.catch(() => undefined);
      }
      const interaction = this.#signIn(app, list, authority, options?.abortSignal);
      this.#interaction = interaction;
      try {
        return await interaction;
      } finally {
        this.#interaction = undefined;
      }
    } catch (err) {
      throw wrapError(err, NAME);
    }
  }

  async #trySilent(
    app: PublicClientApplication,
    scopes: string[],
    authority: string | undefined,
  ): Promise<MsalAccessToken | undefined> {
    if (!this.#account) return undefined;
    try {
      return toAccessToken(await app.acquireTokenSilent({ account: this.#account, scopes, authority }), NAME);
    } catch {
      // No usable token or refresh token: the user has to sign in again.
      return undefined;
    }
  }

  async #signIn(
    app: PublicClientApplication,
    scopes: string[],
    authority: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<MsalAccessToken> {
    const request: DeviceCodeRequest = {
      scopes,
      authority,
      deviceCodeCallback: (r) =>
        this.#onDeviceCode({
          userCode: r.userCode,
          verificationUri: r.verificationUri,
          message: r.message,
          expiresOn: new Date(Date.now() + r.expiresIn * 1000),
        }),
    };
    // MSAL checks `cancel` between polls, so an abort also stops the polling.
    signal?.addEventListener("abort", () => void (request.cancel = true), { once: true });
    const result = await raceSignal(app.acquireTokenByDeviceCode(request), signal);
    if (result?.account) this.#account = result.account;
    return toAccessToken(result, NAME);
  }
}
