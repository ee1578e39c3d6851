/**
 * @module
 */
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { type TokenSource, assertionTokenSource } from "./assertion-token-source";
import type { MsalAccessToken, MsalNodeCredentialOptions } from "./msal-node-common";

/** Options of {@link ClientAssertionCredential}. */
export type ClientAssertionCredentialOptions = MsalNodeCredentialOptions;

/**
 * An app registration (or user-assigned managed identity) that signs in with a federated credential: a JWT from
 * another identity provider that Entra ID trusts for it, such as a GitHub Actions OIDC token or a Kubernetes
 * service account token (audience `api://AzureADTokenExchange`). `getAssertion` is called each time MSAL needs a
 * new token from Entra ID, so it can hand out a fresh assertion; tokens come from MSAL's cache while fresh.
 *
 * GitHub Actions (the job needs `permissions: id-token: write`):
 *
 * @example
 * ```ts
 * const credential = new ClientAssertionCredential(tenantId, clientId, async () => {
 *   const url = `${process.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange`;
 *   const response = await fetch(url, { headers: { authorization: `bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
 *   return ((await response.json()) as { value: string }).value;
 * });
 * ```
 */
export class ClientAssertionCredential implements TokenCredential {
  readonly #source: TokenSource;

  /**
   * @param tenantId - the Entra ID tenant (directory) id
   * @param clientId - the app registration's (or user-assigned identity's) client id
   * @param getAssertion - returns the current assertion; called for every token request to Entra ID
   * @param options - authority host and trust, CA certificates, network client
   */
  constructor(
    tenantId: string,
    clientId: string,
    getAssertion: () => Promise<string>,
    options: ClientAssertionCredentialOptions = {},
  ) {
    this.#source = assertionTokenSource("ClientAssertionCredential", tenantId, clientId, getAssertion, options);
  }

  /**
   * Returns an app-only access token for the scopes, from MSAL's cache while it is fresh.
   * @throws {@link AuthenticationError} when no assertion can be had, or the authority refuses it
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    return this.#source(scopes, options);
  }
}
