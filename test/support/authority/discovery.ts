/**
 * The OIDC discovery document and Entra ID's instance discovery answer, for one tenant of the local authority.
 * @module
 */

/** `/{tenant}/v2.0/.well-known/openid-configuration`, shaped like Entra ID's. */
export function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`;
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    response_modes_supported: ["query", "fragment", "form_post"],
    response_types_supported: ["code"],
    grant_types_supported: [
      "authorization_code",
      "client_credentials",
      "refresh_token",
      "urn:ietf:params:oauth:grant-type:device_code",
    ],
    code_challenge_methods_supported: ["S256", "plain"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "oid", "tid", "name", "preferred_username", "nonce"],
    request_uri_parameter_supported: false,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: null,
    cloud_instance_name: "acrkit.test",
    cloud_graph_host_name: "graph.acrkit.test",
    msgraph_host: "graph.acrkit.test",
  };
}

/** `/common/discovery/instance`: this host is its own only alias, so MSAL never looks elsewhere. */
export function instanceDiscovery(origin: string, host: string): Record<string, unknown> {
  return {
    tenant_discovery_endpoint: `${origin}/{tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
