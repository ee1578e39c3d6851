/**
 * `grant_type=client_credentials`: app-only tokens for a confidential client.
 * @module
 */
import { resolveScopes } from "../apps";
import { authenticateClient } from "../client-auth";
import { OAuthError } from "../http-util";
import type { AuthorityState } from "../state";

/** Handles a client_credentials token request; returns the response body. */
export function clientCredentialsGrant(
  state: AuthorityState,
  form: URLSearchParams,
  tenantSegment: string,
  authorization: string | undefined,
): Record<string, unknown> {
  const tenantId = state.resolveTenant(tenantSegment);
  const { app } = authenticateClient(state, form, tenantSegment, authorization);
  const scopes = resolveScopes(form.get("scope"));
  // Entra ID only accepts `<resource>/.default` for app-only tokens.
  if (!scopes.audience || scopes.multipleResources || !scopes.resourceScopes.every((s) => s.endsWith("/.default"))) {
    throw new OAuthError(
      400,
      "invalid_scope",
      "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.",
      1002012,
    );
  }
  const issued = state.issuer.accessToken({
    audience: scopes.audience,
    tenantId,
    clientId: app.clientId,
    objectId: app.objectId,
    roles: app.roles,
    lifetimeSeconds: state.lifetimeFor(app),
  });
  return {
    token_type: "Bearer",
    expires_in: issued.expiresIn,
    ext_expires_in: issued.expiresIn,
    access_token: issued.token,
  };
}
