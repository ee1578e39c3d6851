/**
 * `getAcrRefreshToken`: an Entra ID token exchanged for an ACR refresh token, the secret docker's `identitytoken`
 * and credential helpers hand to other tools.
 * @module
 */
import type { TokenCredential } from "./auth/credential";
import { ContainerRegistryClient } from "./client";
import type { ContainerRegistryClientOptions } from "./client-options";

/** Options of {@link getAcrRefreshToken}: the client's (audience, tenant, fetch, retries, ...) and a signal. */
export interface GetAcrRefreshTokenOptions extends ContainerRegistryClientOptions {
  /** Cancels the exchange. */
  signal?: AbortSignal;
}

/** What {@link getAcrRefreshToken} returns. */
export interface AcrRefreshToken {
  /** The ACR refresh token: a secret, valid for the registry for about three hours. */
  refreshToken: string;
}

/**
 * Asks `credential` for an Entra ID token and exchanges it at the registry's `/oauth2/exchange` (found from the
 * registry's Bearer challenge) for an ACR refresh token, which docker, skopeo, crane and oras present as the password
 * of user `00000000-0000-0000-0000-000000000000`. A client's request path carries both requests, so retries,
 * redirects, timeouts and redaction are the client's; see {@link ContainerRegistryClient.getAcrRefreshToken}.
 * @throws {@link AuthenticationError} when the registry has no Bearer challenge, or refuses the token
 */
export async function getAcrRefreshToken(
  endpoint: string,
  credential: TokenCredential,
  options: GetAcrRefreshTokenOptions = {},
): Promise<AcrRefreshToken> {
  const { signal, ...clientOptions } = options;
  const client = new ContainerRegistryClient(endpoint, credential, clientOptions);
  return { refreshToken: await client.getAcrRefreshToken({ signal }) };
}
