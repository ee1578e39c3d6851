/**
 * `grant_type=refresh_token`: MSAL's silent renewal for public clients (and confidential ones, authenticated).
 * @module
 */
import { clientForUserGrant } from "../client-auth";
import { OAuthError } from "../http-util";
import type { AuthorityState } from "../state";

/** Handles a refresh_token request; the old refresh token is redeemed once and replaced. */
export function refreshTokenGrant(
  state: AuthorityState,
  form: URLSearchParams,
  tenantSegment: string,
  authorization: string | undefined,
): Record<string, unknown> {
  const app = clientForUserGrant(state, form, tenantSegment, authorization);
  const refreshToken = form.get("refresh_token") ?? "";
  const entry = state.refreshTokens.get(refreshToken);
  if (!entry || entry.clientId !== app.clientId) {
    throw new OAuthError(
      400,
      "invalid_grant",
      "The refresh token is invalid or was issued to another client.",
      9002313,
    );
  }
  state.refreshTokens.delete(refreshToken);
  return state.userTokenResponse(app, entry.username, form.get("scope") ?? "", entry.tenantId);
}
