/**
 * The authorization code flow with PKCE: `/authorize` shows a minimal login page (one username field, one submit
 * button) and redirects back with a code; the token endpoint redeems it against the code verifier.
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { isAllowedRedirect, userObjectId } from "../apps";
import { clientForUserGrant } from "../client-auth";
import { OAuthError, escapeHtml } from "../http-util";
import type { AuthorityState } from "../state";

const CODE_LIFETIME_MS = 5 * 60_000;
/** Parameters the login page carries from the GET to its POST. */
const CARRIED = [
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "response_mode",
];

/** What the authorize endpoint answers: an HTML page, or a redirect. */
export type AuthorizeResult = { kind: "html"; status: number; html: string } | { kind: "redirect"; location: string };

function checkClientAndRedirect(state: AuthorityState, params: URLSearchParams): string {
  const app = state.app(params.get("client_id"));
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!isAllowedRedirect(app, redirectUri)) {
    throw new OAuthError(
      400,
      "invalid_request",
      "The redirect URI does not match the ones registered for the application.",
      50011,
    );
  }
  return redirectUri;
}

/** GET /{tenant}/oauth2/v2.0/authorize: the login page. */
export function authorizePage(state: AuthorityState, params: URLSearchParams, tenantSegment: string): AuthorizeResult {
  state.resolveTenant(tenantSegment);
  checkClientAndRedirect(state, params);
  if (params.get("response_type") !== "code") {
    throw new OAuthError(400, "unsupported_response_type", "Only response_type=code is supported.", 900144);
  }
  const hidden = CARRIED.filter((k) => params.has(k))
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params.get(k) ?? "")}">`)
    .join("\n      ");
  const hint = escapeHtml(params.get("login_hint") ?? "");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - acrkit test authority</title></head>
<body>
  <h1>Sign in</h1>
  <form method="post" action="/${escapeHtml(tenantSegment)}/oauth2/v2.0/authorize">
      ${hidden}
      <label>Username <input id="username" name="username" type="text" value="${hint}" autocomplete="username" required></label>
      <button id="submit" type="submit">Sign in</button>
  </form>
</body></html>`;
  return { kind: "html", status: 200, html };
}

/** POST /{tenant}/oauth2/v2.0/authorize: the login form was submitted; issue a code and send it back. */
export function authorizeSubmit(state: AuthorityState, form: URLSearchParams, tenantSegment: string): AuthorizeResult {
  const tenantId = state.resolveTenant(tenantSegment);
  const redirectUri = checkClientAndRedirect(state, form);
  const username = (form.get("username") ?? "").trim();
  if (!username) return authorizePage(state, form, tenantSegment);
  const code = randomBytes(32).toString("base64url");
  state.authCodes.set(code, {
    clientId: form.get("client_id") ?? "",
    redirectUri,
    scope: form.get("scope") ?? "",
    username,
    tenantId,
    codeChallenge: form.get("code_challenge") ?? undefined,
    codeChallengeMethod: form.get("code_challenge_method") ?? undefined,
    nonce: form.get("nonce") ?? undefined,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  const response = new URLSearchParams({ code });
  const stateParam = form.get("state");
  if (stateParam !== null) response.set("state", stateParam);
  response.set(
    "client_info",
    Buffer.from(JSON.stringify({ uid: userObjectId(username), utid: tenantId })).toString("base64url"),
  );
  const mode = form.get("response_mode") ?? "query";
  if (mode === "form_post") {
    const fields = [...response].map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`).join("");
    const html = `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${fields}</form></body></html>`;
    return { kind: "html", status: 200, html };
  }
  return { kind: "redirect", location: `${redirectUri}${mode === "fragment" ? "#" : "?"}${response}` };
}

function pkceMatches(challenge: string, method: string | undefined, verifier: string): boolean {
  if (method === "S256") return createHash("sha256").update(verifier).digest("base64url") === challenge;
  return challenge === verifier;
}

/** Handles a token request with grant_type=authorization_code. */
export function authorizationCodeGrant(
  state: AuthorityState,
  form: URLSearchParams,
  tenantSegment: string,
  authorization: string | undefined,
): Record<string, unknown> {
  const app = clientForUserGrant(state, form, tenantSegment, authorization);
  const code = form.get("code") ?? "";
  const entry = state.authCodes.get(code);
  // A code is single-use whatever the outcome.
  state.authCodes.delete(code);
  if (!entry || entry.clientId !== app.clientId || Date.now() > entry.expiresAt) {
    throw new OAuthError(400, "invalid_grant", "The provided authorization code is invalid or has expired.", 70008);
  }
  if (entry.redirectUri !== form.get("redirect_uri")) {
    throw new OAuthError(
      400,
      "invalid_grant",
      "The redirect URI does not match the one the code was issued for.",
      50148,
    );
  }
  if (entry.codeChallenge) {
    const verifier = form.get("code_verifier");
    if (!verifier || !pkceMatches(entry.codeChallenge, entry.codeChallengeMethod, verifier)) {
      throw new OAuthError(
        400,
        "invalid_grant",
        "The code_verifier does not match the code_challenge supplied in the authorization request.",
        501481,
      );
    }
  } else if (app.publicClient) {
    throw new OAuthError(
      400,
      "invalid_request",
      "Proof Key for Code Exchange is required for public clients.",
      9002325,
    );
  }
  return state.userTokenResponse(app, entry.username, form.get("scope") ?? entry.scope, entry.tenantId, entry.nonce);
}
