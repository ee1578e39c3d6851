/**
 * The HTTP requests of the registry token protocol: ACR's AAD exchange, ACR's and Docker's token endpoints.
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import { NetworkError } from "../errors/network-error";
import { readUpTo } from "../http/read-body";
import { toRegistryError } from "../http/response-error";
import type { Transport } from "../http/transport";
import { encodeBase64Utf8 } from "../utils/base64";
import { readJwtExpiry } from "./jwt";
import { splitScopes } from "./scope";
import type { Expiring } from "./token-cache";

/** Where tokens come from, as a registry's Bearer challenge says. */
export interface TokenService {
  realm: URL;
  service: string;
}

/** A token response field that a server may name either way (`token` in the Docker spec, `access_token` in OAuth). */
interface TokenResponse {
  access_token?: unknown;
  token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
}

/** The largest token response acrkit reads; real ones are a few kilobytes. */
const MAX_TOKEN_RESPONSE = 1024 * 1024;
/** Lifetime assumed for a token whose expiry is unknown: the distribution token spec's default. */
const DEFAULT_LIFETIME_MS = 60_000;
/** Access tokens are renewed this long before they expire, so that a request never carries a dying token. */
const ACCESS_TOKEN_MARGIN_MS = 30_000;
/** ACR refresh tokens are renewed about five minutes before they expire. */
const REFRESH_TOKEN_MARGIN_MS = 5 * 60_000;

/** Exchanges an AAD access token for an ACR refresh token (`POST /oauth2/exchange`). */
export async function exchangeAadToken(
  transport: Transport,
  target: TokenService,
  aadToken: string,
  tenantId: string | undefined,
  signal?: AbortSignal,
): Promise<Expiring<string>> {
  const form = new URLSearchParams({ grant_type: "access_token", service: target.service, access_token: aadToken });
  if (tenantId) form.set("tenant", tenantId);
  const body = await postForm(transport, new URL("exchange", target.realm), form, signal);
  return expiring(readString(body.refresh_token, "refresh_token"), body, REFRESH_TOKEN_MARGIN_MS);
}

/**
 * Asks ACR's token endpoint for an access token (`POST /oauth2/token`): with an ACR refresh token
 * (grant_type=refresh_token), or anonymously (grant_type=password without credentials, as the Azure SDKs do).
 */
export async function requestAccessTokenByPost(
  transport: Transport,
  target: TokenService,
  scope: string,
  refreshToken: string | undefined,
  signal?: AbortSignal,
): Promise<Expiring<string>> {
  const form = scopedForm(target, scope);
  if (refreshToken !== undefined) form.set("refresh_token", refreshToken);
  form.set("grant_type", refreshToken === undefined ? "password" : "refresh_token");
  return accessToken(await postForm(transport, target.realm, form, signal));
}

/** Asks a token server for an access token with `GET realm?service=&scope=`, with Basic credentials or anonymously. */
export async function requestAccessTokenByGet(
  transport: Transport,
  target: TokenService,
  scope: string,
  basic: { username: string; password: string } | undefined,
  signal?: AbortSignal,
): Promise<Expiring<string>> {
  const url = new URL(target.realm);
  for (const [key, value] of scopedForm(target, scope)) url.searchParams.append(key, value);
  const headers = new Headers({ accept: "application/json" });
  if (basic) headers.set("authorization", basicAuthorization(basic.username, basic.password));
  const response = await transport.send({ method: "GET", url, headers, signal, idempotent: true });
  return accessToken(await readTokenResponse(response, "GET", url));
}

/** The `Authorization` value for HTTP Basic authentication. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${encodeBase64Utf8(`${username}:${password}`)}`;
}

function scopedForm(target: TokenService, scope: string): URLSearchParams {
  const form = new URLSearchParams({ service: target.service });
  for (const part of splitScopes(scope)) form.append("scope", part);
  return form;
}

async function postForm(transport: Transport, url: URL, form: URLSearchParams, signal?: AbortSignal): Promise<TokenResponse> {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded", accept: "application/json" });
  // Token requests change nothing on the server, so retrying them is safe.
  const response = await transport.send({ method: "POST", url, headers, body: form.toString(), signal, idempotent: true });
  return readTokenResponse(response, "POST", url);
}

async function readTokenResponse(response: Response, method: string, url: URL): Promise<TokenResponse> {
  if (!response.ok) throw await toRegistryError(response, method, url);
  try {
    // Bounded: a hostile or broken token endpoint must not make us buffer an endless body.
    const { bytes, complete } = await readUpTo(response, MAX_TOKEN_RESPONSE);
    const body = complete ? (JSON.parse(new TextDecoder().decode(bytes)) as unknown) : undefined;
    if (typeof body === "object" && body !== null) return body as TokenResponse;
  } catch (error) {
    // A stalled body is a network failure; anything unreadable falls through to the typed error below.
    if (error instanceof NetworkError) throw error;
  }
  throw new AuthenticationError(`The token endpoint ${url.origin}${url.pathname} answered with a body that is not a token response`);
}

function accessToken(body: TokenResponse): Expiring<string> {
  const token = body.access_token ?? body.token;
  return expiring(readString(token, "access_token"), body, ACCESS_TOKEN_MARGIN_MS);
}

function readString(value: unknown, field: string): string {
  if (typeof value === "string" && value.length > 0) return value;
  throw new AuthenticationError(`The token endpoint's response has no ${field}`);
}

function expiring(token: string, body: TokenResponse, marginMs: number): Expiring<string> {
  const now = Date.now();
  const fromJwt = readJwtExpiry(token);
  const fromBody = typeof body.expires_in === "number" && body.expires_in > 0 ? now + body.expires_in * 1000 : undefined;
  const expiresAt = fromJwt ?? fromBody ?? now + DEFAULT_LIFETIME_MS;
  // A short-lived token is still used for half its life rather than never.
  const margin = Math.min(marginMs, (expiresAt - now) / 2);
  return { value: token, refreshAt: expiresAt - margin };
}
