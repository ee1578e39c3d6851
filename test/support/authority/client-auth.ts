/**
 * Client authentication at the token endpoint: a client secret (body or HTTP Basic) or a client-assertion JWT
 * signed with the app's registered certificate (RS256 with `x5t`, or PS256 with `x5t#S256`, as MSAL sends).
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import type { TestApp } from "./apps";
import { OAuthError } from "./http-util";
import { type DecodedJwt, JwtValidationError, checkJwtLifetime, decodeJwt, verifyJwtSignature } from "./jwt";
import { TOKEN_EXCHANGE_AUDIENCE } from "./federated-issuer";
import type { AuthorityState } from "./state";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** How a confidential client proved who it is. */
export type ClientAuthMethod = "client_secret" | "client_assertion";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hexToBase64url(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64url");
}

function invalidClient(description: string, code: number): OAuthError {
  return new OAuthError(401, "invalid_client", description, code);
}

/**
 * An assertion from another issuer, checked as Entra ID checks federated identity credentials: a record for its
 * issuer and subject, one of the record's audiences, the issuer's signature, and its lifetime.
 */
function checkFederatedAssertion(app: TestApp, jwt: DecodedJwt): void {
  const { iss, sub, aud } = jwt.payload;
  const record = app.federatedCredentials.find(
    (c) => c.issuer === iss && c.subject === sub && (c.audiences ?? [TOKEN_EXCHANGE_AUDIENCE]).includes(String(aud)),
  );
  if (!record) {
    throw invalidClient(
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(iss)}'. Assertion Subject: '${String(sub)}'. Assertion Audience: '${String(aud)}'.`,
      70021,
    );
  }
  try {
    verifyJwtSignature(jwt, record.publicKey);
  } catch {
    throw invalidClient("Client assertion failed signature validation.", 700027);
  }
  try {
    checkJwtLifetime(jwt.payload);
  } catch {
    throw invalidClient("Client assertion is not within its valid time range.", 700024);
  }
}

function checkAssertion(app: TestApp, assertion: string, tokenEndpoint: string): void {
  let jwt;
  try {
    jwt = decodeJwt(assertion);
  } catch {
    throw invalidClient("Client assertion is not a valid JWT.", 50027);
  }
  if (jwt.payload.iss !== app.clientId && app.federatedCredentials.length > 0) return checkFederatedAssertion(app, jwt);
  if (!app.certificate) throw invalidClient("The application has no certificate credential registered.", 700027);
  const { header, payload } = jwt;
  const x5t256 = header["x5t#S256"];
  const x5t = header.x5t;
  const thumbprintMatches =
    x5t256 !== undefined
      ? x5t256 === hexToBase64url(app.certificate.thumbprintSha256)
      : x5t === hexToBase64url(app.certificate.thumbprintSha1);
  if (!thumbprintMatches) {
    throw invalidClient(
      "Client assertion contains an invalid signature. The key was not found (thumbprint mismatch).",
      700027,
    );
  }
  try {
    verifyJwtSignature(jwt, app.certificate.publicKey);
    checkJwtLifetime(payload);
  } catch (e) {
    const reason = e instanceof JwtValidationError ? e.reason : "invalid";
    throw invalidClient(`Client assertion failed validation (${reason}).`, 700027);
  }
  if (payload.aud !== tokenEndpoint)
    throw invalidClient("Client assertion audience is not the token endpoint.", 700212);
  if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
    throw invalidClient("Client assertion iss and sub must be the client id.", 700021);
  }
}

/**
 * Authenticates a confidential client; returns the app and the method used.
 * Messages never repeat what the client sent, so a wrong secret is never echoed.
 */
export function authenticateClient(
  state: AuthorityState,
  form: URLSearchParams,
  tenantSegment: string,
  authorization: string | undefined,
): { app: TestApp; method: ClientAuthMethod } {
  let clientId = form.get("client_id");
  let secret = form.get("client_secret");
  if (authorization?.startsWith("Basic ")) {
    const decoded = Buffer.from(authorization.slice(6), "base64").toString("utf8");
    const cut = decoded.indexOf(":");
    clientId = decodeURIComponent(decoded.slice(0, cut));
    secret = decodeURIComponent(decoded.slice(cut + 1));
  }
  const app = state.app(clientId);
  if (app.publicClient) {
    throw new OAuthError(
      400,
      "invalid_client",
      "Public clients cannot authenticate with a secret or assertion.",
      700025,
    );
  }
  const assertion = form.get("client_assertion");
  if (assertion !== null) {
    if (form.get("client_assertion_type") !== JWT_BEARER) {
      throw new OAuthError(400, "invalid_request", "client_assertion_type must be jwt-bearer.", 50012);
    }
    checkAssertion(app, assertion, state.tokenEndpoint(tenantSegment));
    return { app, method: "client_assertion" };
  }
  if (secret !== null) {
    if (!app.clientSecret || !sameSecret(secret, app.clientSecret)) {
      throw invalidClient(
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
        7000215,
      );
    }
    return { app, method: "client_secret" };
  }
  throw new OAuthError(
    401,
    "invalid_client",
    "The request body must contain client_secret or client_assertion.",
    7000218,
  );
}

/**
 * The client of a user-token grant (authorization code, refresh token): public clients name themselves with
 * `client_id`, confidential ones must also authenticate.
 */
export function clientForUserGrant(
  state: AuthorityState,
  form: URLSearchParams,
  tenantSegment: string,
  authorization: string | undefined,
): TestApp {
  state.resolveTenant(tenantSegment);
  const app = state.app(form.get("client_id"));
  if (!app.publicClient) authenticateClient(state, form, tenantSegment, authorization);
  return app;
}
