/**
 * JWT-shaped ACR refresh and access tokens, signed with HMAC-SHA256 through WebCrypto.
 *
 * Real ACR signs with RS256; clients only read the claims (`exp` above all), so a symmetric key
 * private to one emulator is enough and keeps tokens unforgeable by tests.
 * @module
 */
import { decodeBase64, encodeBase64Url } from "./base64url";
import type { AccessEntry } from "./scopes";

/** The issuer ACR puts in its tokens. */
export const TOKEN_ISSUER = "Azure Container Registry";

/** Claims of the emulator's tokens, named as in ACR's: `access` with the granted scopes, `grant_type` for refresh tokens. */
export interface TokenClaims {
  jti: string;
  sub: string;
  nbf: number;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
  version: "1.0";
  grant_type: "refresh_token" | "access_token";
  tenant?: string;
  /** Refresh tokens: what the identity may do (ACR calls the equivalent claim `permissions`). */
  permissions?: { actions: string[]; notActions: string[] };
  /** Access tokens: the Docker-token access list. */
  access?: AccessEntry[];
}

/** Why a token was refused: `invalid_token` covers bad signatures, expiry and a wrong audience alike. */
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false };

const encoder = new TextEncoder();
const HEADER = encodeBase64Url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));

/** Issues and verifies tokens with a key that never leaves this emulator instance. */
export class TokenAuthority {
  readonly #key = crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);

  /** @param nowSeconds the current time in seconds since the epoch */
  constructor(private readonly nowSeconds: () => number) {}

  /** Signs a token of the given kind, valid from now for `lifetimeSeconds`. */
  async issue(
    grantType: TokenClaims["grant_type"],
    fields: {
      sub: string;
      aud: string;
      tenant?: string;
      access?: AccessEntry[];
      permissions?: TokenClaims["permissions"];
    },
    lifetimeSeconds: number,
  ): Promise<string> {
    const now = this.nowSeconds();
    const claims: TokenClaims = {
      jti: crypto.randomUUID(),
      sub: fields.sub,
      nbf: now,
      iat: now,
      exp: now + lifetimeSeconds,
      iss: TOKEN_ISSUER,
      aud: fields.aud,
      version: "1.0",
      grant_type: grantType,
      ...(fields.tenant === undefined ? {} : { tenant: fields.tenant }),
      ...(fields.permissions === undefined ? {} : { permissions: fields.permissions }),
      ...(fields.access === undefined ? {} : { access: fields.access }),
    };
    const payload = `${HEADER}.${encodeBase64Url(encoder.encode(JSON.stringify(claims)))}`;
    const signature = await crypto.subtle.sign("HMAC", await this.#key, encoder.encode(payload));
    return `${payload}.${encodeBase64Url(new Uint8Array(signature))}`;
  }

  /** Checks signature, kind, audience and the `nbf`/`exp` window. */
  async verify(token: string, grantType: TokenClaims["grant_type"], audience: string): Promise<TokenCheck> {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false };
    const signature = decodeBase64(parts[2]!);
    const payloadBytes = decodeBase64(parts[1]!);
    if (!signature || !payloadBytes) return { ok: false };
    const valid = await crypto.subtle.verify(
      "HMAC",
      await this.#key,
      signature,
      encoder.encode(`${parts[0]}.${parts[1]}`),
    );
    if (!valid) return { ok: false };
    const claims = JSON.parse(new TextDecoder().decode(payloadBytes)) as TokenClaims;
    const now = this.nowSeconds();
    const fresh = claims.nbf <= now && now < claims.exp;
    return fresh && claims.grant_type === grantType && claims.aud === audience ? { ok: true, claims } : { ok: false };
  }
}
