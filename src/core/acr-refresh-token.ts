/**
 * `getAcrRefreshToken`: an Entra ID token exchanged for an ACR refresh token, the secret docker's `identitytoken`
 * and credential helpers hand to other tools.
 * @module
 */
import { DEFAULT_AUDIENCE } from "./client-options";
import { isLoopbackHost, parseEndpoint } from "./endpoint";
import { AuthenticationError } from "./errors/authentication-error";
import { readUpTo } from "./http/read-body";
import type { FetchLike } from "./http/fetch-like";
import { findChallenge } from "./auth/challenge";
import type { TokenCredential } from "./auth/credential";

/** Options of {@link getAcrRefreshToken}. */
export interface GetAcrRefreshTokenOptions {
  /** The Entra ID audience of the registry; default `https://containerregistry.azure.net`. */
  audience?: string;
  /** The tenant to exchange in, when the token's own is not the registry's. */
  tenantId?: string;
  /** The fetch to use; default the global one. */
  fetch?: FetchLike;
  /** Cancels the exchange. */
  signal?: AbortSignal;
}

/** What {@link getAcrRefreshToken} returns. */
export interface AcrRefreshToken {
  /** The ACR refresh token: a secret, valid for the registry for about three hours. */
  refreshToken: string;
}

/** The largest answer read from the registry's token service; real ones are a few kilobytes. */
const MAX_ANSWER = 1024 * 1024;

/**
 * Asks `credential` for an Entra ID token and exchanges it at the registry's `/oauth2/exchange` (found from the
 * registry's Bearer challenge) for an ACR refresh token, which docker, skopeo, crane and oras present as the password
 * of user `00000000-0000-0000-0000-000000000000`. Two requests: the challenge, the exchange.
 * @throws {@link AuthenticationError} when the registry has no Bearer challenge, or refuses the token
 */
export async function getAcrRefreshToken(endpoint: string, credential: TokenCredential, options: GetAcrRefreshTokenOptions = {}): Promise<AcrRefreshToken> {
  const url = parseEndpoint(endpoint);
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) throw new TypeError(`Refusing to send an Entra ID token over plain http to ${url.host}: use https`);
  const fetchLike = options.fetch ?? fetch;
  const probe = await fetchLike(new Request(new URL("v2/", url), { signal: options.signal }));
  await probe.body?.cancel();
  const challenge = findChallenge(probe.headers.get("www-authenticate"), "bearer");
  const realm = challenge?.params.realm;
  if (!realm) throw new AuthenticationError(`${url.host} has no Bearer challenge: it is not an ACR registry`);
  const exchange = new URL("exchange", new URL(realm, url));
  if (exchange.origin !== url.origin) throw new AuthenticationError(`${url.host} names a token service on another host (${exchange.host}); the Entra ID token is not sent there`);
  const aad = await credential.getToken(`${options.audience ?? DEFAULT_AUDIENCE}/.default`, { abortSignal: options.signal });
  if (!aad) throw new AuthenticationError(`The credential gave no Entra ID token for ${url.host}`);
  const form = new URLSearchParams({ grant_type: "access_token", service: challenge.params.service ?? url.host, access_token: aad.token });
  if (options.tenantId) form.set("tenant", options.tenantId);
  const response = await fetchLike(
    new Request(exchange, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      signal: options.signal,
    }),
  );
  const { bytes } = await readUpTo(response, MAX_ANSWER);
  let body: { refresh_token?: unknown } | undefined;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())) as { refresh_token?: unknown };
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || typeof body?.refresh_token !== "string" || body.refresh_token === "") {
    throw new AuthenticationError(`${url.host} refused the Entra ID token at ${exchange.pathname} (${response.status})`, undefined, {
      statusCode: response.status,
      method: "POST",
      url: `${exchange.origin}${exchange.pathname}`,
    });
  }
  return { refreshToken: body.refresh_token };
}
