/**
 * The device code flow (RFC 8628): `/devicecode` hands out a user code, the token endpoint answers
 * `authorization_pending` until the test approves the code through the authority's API.
 * @module
 */
import { randomBytes, randomInt } from "node:crypto";
import { OAuthError } from "../http-util";
import type { AuthorityState, DeviceCodeEntry } from "../state";

const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const LIFETIME_SECONDS = 900;

/** The RFC 8628 grant_type; Entra ID (and MSAL) also use the short form `device_code`. */
export { DEVICE_CODE_GRANT };

function userCode(): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 9 }, () => letters[randomInt(letters.length)]).join("");
}

/** Handles POST /{tenant}/oauth2/v2.0/devicecode. */
export function deviceCodeEndpoint(
  state: AuthorityState,
  form: URLSearchParams,
  tenantSegment: string,
): Record<string, unknown> {
  const tenantId = state.resolveTenant(tenantSegment);
  const app = state.app(form.get("client_id"));
  if (!app.publicClient) {
    throw new OAuthError(400, "invalid_client", "The device code flow needs a public client application.", 7000218);
  }
  const entry: DeviceCodeEntry = {
    deviceCode: randomBytes(32).toString("base64url"),
    userCode: userCode(),
    clientId: app.clientId,
    scope: form.get("scope") ?? "",
    tenantId,
    expiresAt: Date.now() + LIFETIME_SECONDS * 1000,
  };
  state.deviceCodes.set(entry.deviceCode, entry);
  const verificationUri = `${state.issuer.origin}/devicelogin`;
  return {
    user_code: entry.userCode,
    device_code: entry.deviceCode,
    verification_uri: verificationUri,
    expires_in: LIFETIME_SECONDS,
    interval: state.deviceCodeIntervalSeconds,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${entry.userCode} to authenticate.`,
  };
}

/** Handles a token request with the device code grant. */
export function deviceCodeGrant(state: AuthorityState, form: URLSearchParams): Record<string, unknown> {
  const entry = state.deviceCodes.get(form.get("device_code") ?? "");
  if (!entry || entry.clientId !== form.get("client_id")) {
    throw new OAuthError(400, "invalid_grant", "The device code is not valid for this client.", 70000);
  }
  if (entry.declined) {
    state.deviceCodes.delete(entry.deviceCode);
    throw new OAuthError(400, "authorization_declined", "The end user denied the authorization request.", 70000);
  }
  if (Date.now() > entry.expiresAt) {
    state.deviceCodes.delete(entry.deviceCode);
    throw new OAuthError(400, "expired_token", "The device code has expired.", 70020);
  }
  if (!entry.approvedBy) {
    throw new OAuthError(400, "authorization_pending", "The user has not yet finished authenticating.", 70016);
  }
  state.deviceCodes.delete(entry.deviceCode);
  return state.userTokenResponse(
    state.app(entry.clientId),
    entry.approvedBy,
    form.get("scope") ?? entry.scope,
    entry.tenantId,
  );
}
