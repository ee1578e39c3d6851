/**
 * @module
 */
import type { ConfidentialClientApplication } from "@azure/msal-node";
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

/** Options of {@link ClientSecretCredential}. */
export type ClientSecretCredentialOptions = MsalNodeCredentialOptions;

const NAME = "ClientSecretCredential";

/**
 * A service principal (app registration) that signs in with a client secret: CI pipelines and services outside
 * Azure. Built on MSAL-node's `ConfidentialClientApplication` (`@azure/msal-node`, loaded on the first `getToken`),
 * whose in-memory cache serves repeated calls until the token is about to expire (MSAL renews 5 minutes early).
 *
 * For a private cloud or a test authority, pass `authorityHost` with `disableInstanceDiscovery: true`, and
 * trust its CA with `caCertificates` (or `NODE_EXTRA_CA_CERTS`).
 *
 * @example
 * ```ts
 * const credential = new ClientSecretCredential(tenantId, clientId, process.env.SECRET!);
 * const client = new ContainerRegistryClient("https://myregistry.azurecr.io", credential);
 * ```
 */
export class ClientSecretCredential implements TokenCredential {
  readonly #app: () => Promise<ConfidentialClientApplication>;
  readonly #secret: string;
  readonly #tenantId: string;
  readonly #options: ClientSecretCredentialOptions;

  /**
   * @param tenantId - the Entra ID tenant (directory) id
   * @param clientId - the app registration's application (client) id
   * @param clientSecret - the client secret's value; kept private and never put in an error message
   * @param options - authority host and trust, CA certificates, network client
   */
  constructor(tenantId: string, clientId: string, clientSecret: string, options: ClientSecretCredentialOptions = {}) {
    checkTenantId(tenantId, NAME);
    if (!clientId || typeof clientId !== "string") throw new TypeError(`${NAME} needs a client id`);
    if (!clientSecret || typeof clientSecret !== "string") throw new TypeError(`${NAME} needs a client secret`);
    this.#secret = clientSecret;
    this.#tenantId = tenantId;
    this.#options = options;
    const auth = { clientId, clientSecret, ...authorityConfig(tenantId, options) };
    this.#app = createdOnFirstUse(async () => {
      const { ConfidentialClientApplication } = await loadMsalNode(NAME);
      return new ConfidentialClientApplication({ auth, system: systemConfig(options) });
    });
  }

  /**
   * Returns an app-only access token for the scopes (e.g. `https://containerregistry.azure.net/.default`), from
   * MSAL's cache while it is fresh.
   * @throws {@link AuthenticationError} when the authority refuses or cannot be reached
   * @throws {@link MsalNotInstalledError} (an AuthenticationError) when `@azure/msal-node` is not installed
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    const request = {
      scopes: normalizeScopes(scopes, NAME),
      authority: authorityForTenant(options, this.#tenantId, this.#options, NAME),
    };
    try {
      const app = await raceSignal(this.#app(), options?.abortSignal);
      const result = await raceSignal(app.acquireTokenByClientCredential(request), options?.abortSignal);
      return toAccessToken(result, NAME);
    } catch (err) {
      throw wrapError(err, NAME, [this.#secret]);
    }
  }
}
