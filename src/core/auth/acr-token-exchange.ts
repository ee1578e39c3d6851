/**
 * The ACR refresh token of a client's Entra ID credential, loaded on first use (a metadata-only page never needs it).
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import type { Authenticator } from "./authenticator";
import { findChallenge } from "./challenge";
import type { Pipeline } from "./pipeline";

/**
 * The client's ACR refresh token: the token service is the one the client learned, or the one the registry's Bearer
 * challenge to `GET /v2/` names (asked without credentials, on the client's request path), then the exchange.
 */
export async function exchangeForAcrRefreshToken(
  authenticator: Authenticator,
  pipeline: Pipeline,
  endpoint: URL,
  signal?: AbortSignal,
): Promise<string> {
  const known = authenticator.tokenService;
  if (known) return authenticator.acrRefreshToken(known.realm.href, known.service, signal);
  const response = await pipeline.sendUnauthorized({
    method: "GET",
    url: new URL("v2/", endpoint),
    signal,
    expect: [200, 401],
  });
  await response.body?.cancel();
  const bearer =
    response.status === 401 ? findChallenge(response.headers.get("www-authenticate"), "bearer") : undefined;
  if (!bearer?.params.realm) {
    throw new AuthenticationError(
      `${endpoint.host} asks for no token (its challenge to GET /v2/ names no token realm): it is not an ACR registry`,
    );
  }
  return authenticator.acrRefreshToken(bearer.params.realm, bearer.params.service, signal);
}
