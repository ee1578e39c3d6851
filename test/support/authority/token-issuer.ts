/**
 * Signs the authority's tokens (access tokens and ID tokens, RS256 with a `kid`) and verifies access tokens the
 * way a resource server such as the emulator's `/oauth2/exchange` should: signature against the JWKS key,
 * issuer, audience and lifetime.
 * @module
 */
import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { JwtValidationError, checkJwtLifetime, decodeJwt, signJwt, verifyJwtSignature } from "./jwt";

/** The ACR audience; the AAD scope `https://containerregistry.azure.net/.default` asks for it. */
export const ACR_AUDIENCE = "https://containerregistry.azure.net";

/** What goes into an access token. */
export interface AccessTokenClaims {
  /** The resource the token is for (`aud`). */
  audience: string;
  /** The tenant (`tid`, and part of `iss`). */
  tenantId: string;
  /** The application that asked (`azp`/`appid`). */
  clientId: string;
  /** The object id of the user or service principal (`oid`, `sub`). */
  objectId: string;
  /** Delegated permissions (`scp`), for tokens issued to a user. */
  scopes?: string[];
  /** Application roles (`roles`), for app-only tokens. */
  roles?: string[];
  /** The user's name, for delegated tokens. */
  username?: string;
  /** Lifetime in seconds. */
  lifetimeSeconds: number;
}

/** A freshly issued token with its lifetime. */
export interface IssuedToken {
  token: string;
  /** Seconds since the epoch. */
  expiresOn: number;
  /** Seconds from now. */
  expiresIn: number;
}

/** Options of {@link verifyAadToken}. */
export interface VerifyAadTokenOptions {
  /** The expected `aud`; default {@link ACR_AUDIENCE}. A trailing slash on either side is ignored. */
  audience?: string;
  /** Signing keys by `kid`. */
  keys: ReadonlyMap<string, KeyObject>;
  /** The origin the `iss` claim must start with, e.g. `https://127.0.0.1:4443`. */
  issuerOrigin?: string;
}

/** Checks an AAD access token: RS256 signature with a known `kid`, issuer, audience and expiry; returns its claims. */
export function verifyAadToken(token: string, options: VerifyAadTokenOptions): Record<string, unknown> {
  const jwt = decodeJwt(token);
  const key = options.keys.get(String(jwt.header.kid));
  if (!key) throw new JwtValidationError("kid", "JWT kid is not one of the authority's signing keys");
  if (jwt.header.alg !== "RS256") throw new JwtValidationError("algorithm", "access tokens must be RS256");
  verifyJwtSignature(jwt, key);
  const claims = jwt.payload;
  if (options.issuerOrigin && !String(claims.iss).startsWith(`${options.issuerOrigin}/`)) {
    throw new JwtValidationError("issuer", "JWT was not issued by this authority");
  }
  const trim = (s: string) => s.replace(/\/+$/, "");
  if (trim(String(claims.aud)) !== trim(options.audience ?? ACR_AUDIENCE)) {
    throw new JwtValidationError("audience", "JWT audience does not match");
  }
  checkJwtLifetime(claims);
  return claims;
}

/** Holds the authority's signing key and mints its tokens. */
export class TokenIssuer {
  readonly kid: string;
  readonly #privateKey: KeyObject;
  readonly publicKey: KeyObject;

  /** @param origin - the authority's origin, e.g. `https://127.0.0.1:4443`; issuers are `${origin}/${tenant}/v2.0` */
  constructor(readonly origin: string) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.publicKey = publicKey;
    const spki = publicKey.export({ type: "spki", format: "der" });
    this.kid = createHash("sha256").update(spki).digest("base64url").slice(0, 16);
  }

  /** The `iss` of tokens for a tenant. */
  issuer(tenantId: string): string {
    return `${this.origin}/${tenantId}/v2.0`;
  }

  /** The JWKS document served at `/{tenant}/discovery/v2.0/keys`. */
  jwks(): { keys: object[] } {
    const jwk = this.publicKey.export({ format: "jwk" });
    return { keys: [{ ...jwk, kid: this.kid, use: "sig", alg: "RS256", kty: "RSA" }] };
  }

  /** Signing keys by `kid`, for {@link verifyAadToken}. */
  keys(): ReadonlyMap<string, KeyObject> {
    return new Map([[this.kid, this.publicKey]]);
  }

  /** Mints an access token. */
  accessToken(claims: AccessTokenClaims): IssuedToken {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + claims.lifetimeSeconds;
    const payload: Record<string, unknown> = {
      aud: claims.audience,
      iss: this.issuer(claims.tenantId),
      iat: now,
      nbf: now,
      exp,
      tid: claims.tenantId,
      oid: claims.objectId,
      sub: claims.objectId,
      azp: claims.clientId,
      appid: claims.clientId,
      ver: "2.0",
      uti: randomUUID(),
    };
    if (claims.scopes?.length) payload.scp = claims.scopes.join(" ");
    if (claims.roles?.length) payload.roles = claims.roles;
    if (claims.username) payload.preferred_username = claims.username;
    return {
      token: signJwt({ kid: this.kid }, payload, this.#privateKey),
      expiresOn: exp,
      expiresIn: claims.lifetimeSeconds,
    };
  }

  /** Mints an ID token for a signed-in user (MSAL reads it to build the account). */
  idToken(user: { objectId: string; username: string }, clientId: string, tenantId: string, nonce?: string): string {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      aud: clientId,
      iss: this.issuer(tenantId),
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid: tenantId,
      oid: user.objectId,
      sub: user.objectId,
      name: user.username,
      preferred_username: user.username,
      ver: "2.0",
    };
    if (nonce) payload.nonce = nonce;
    return signJwt({ kid: this.kid }, payload, this.#privateKey);
  }
}
