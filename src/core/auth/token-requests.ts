/**
 * The HTTP requests of the registry token protocol: ACR's AAD exchange, ACR's and Docker's token endpoints.
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import { readUpTo } from "../http/read-body";
import type { Requester } from "../http/requester";
import { toAuthenticationError } from "../http/response-error";
import { encodeBase64Utf8 } from "../utils/base64";
import { readJwtExpiry } from "./jwt";
import { splitScopes } from "./scope";
import type { Expiring } from "./token-cache";
import { parseJsonObject } from "../utils/json-object";

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

/**
 * Exchanges an AAD access token for an ACR refresh token (`POST /oauth2/exchange`); `scope` is the access the exchange
 * is made for, named by the error when the exchange is refused.
 */
export async function exchangeAadToken(
  requester: Requester,
  target: TokenService,
  aadToken: string,
  tenantId: string | undefined,
  scope: string,
): Promise<Expiring<string>> {
  const form = new URLSearchParams({ grant_type: "access_token", service: target.service, access_token: aadToken });
  if (tenantId) form.set("tenant", tenantId);
  const body = await postForm(requester, new URL("exchange", target.realm), form, scope);
  return expiring(readString(body.refresh_token, "refresh_token"), body, REFRESH_TOKEN_MARGIN_MS);
}

/**
 * Asks ACR's token endpoint for an access token (`POST /oauth2/token`): with an ACR refresh token
 * (grant_type=refresh_token), or anonymously (grant_type=password without credentials, as the Azure SDKs do).
 */
export async function requestAccessTokenByPost(
  requester: Requester,
  target: TokenService,
  scope: string,
  refreshToken: string | undefined,
): Promise<Expiring<string>> {
  const form = scopedForm(target, scope);
  if (refreshToken !== undefined) form.set("refresh_token", refreshToken);
  form.set("grant_type", refreshToken === undefined ? "password" : "refresh_token");
  return accessToken(await postForm(requester, target.realm, form, scope));
}

/** Asks a token server for an access token with `GET realm?service=&scope=`, with Basic credentials or anonymously. */
export async function requestAccessTokenByGet(
  requester: Requester,
  target: TokenService,
  scope: string,
  basic: { username: string; password: string } | undefined,
): Promise<Expiring<string>> {
  const url = new URL(target.realm);
  for (const [key, value] of scopedForm(target, scope)) url.searchParams.append(key, value);
  const headers = new Headers({ accept: "application/json" });
  if (basic) headers.set("authorization", basicAuthorization(basic.username, basic.password));
  return accessToken(await requestToken(requester, { method: "GET", url, headers }, scope));
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

function postForm(requester: Requester, url: URL, form: URLSearchParams, scope: string): Promise<TokenResponse> {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded", accept: "application/json" });
  return requestToken(requester, { method: "POST", url, headers, body: form.toString() }, scope);
}

/**
 * Sends a token request and reads its JSON answer, bounded. Token requests change nothing on the server, so they are
 * retried like reads; a 401 or 403 is the token service refusing the credential: an AuthenticationError.
 */
function requestToken(
  requester: Requester,
  request: { method: string; url: URL; headers: Headers; body?: string },
  scope: string,
): Promise<TokenResponse> {
  return requester.exchange({ ...request, idempotent: true, expect: [200, 401, 403] }, async (response) => {
    if (response.status !== 200) {
      throw await toAuthenticationError(
        response,
        request.method,
        request.url,
        scope,
        "the token service refused the credential",
        requester.secrets,
      );
    }
    const { bytes, complete } = await readUpTo(response, MAX_TOKEN_RESPONSE);
    const body = complete ? parseJsonObject(bytes) : undefined;
    if (body !== undefined) return body as TokenResponse;
    throw new AuthenticationError(
      `The token endpoint ${request.url.origin}${request.url.pathname} answered with a body that is not a token response`,
      scope,
    );
  });
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
  const fromBody =
    typeof body.expires_in === "number" && body.expires_in > 0 ? now + body.expires_in * 1000 : undefined;
  const expiresAt = fromJwt ?? fromBody ?? now + DEFAULT_LIFETIME_MS;
  // A short-lived token is still used for half its life rather than never.
  const margin = Math.min(marginMs, (expiresAt - now) / 2);
  return { value: token, refreshAt: expiresAt - margin };
}
