/**
 * Minimal JWS compact serialization for the local authority: RS256 and PS256 signing and verification with
 * node:crypto, nothing else. Tests need exactly what Entra ID and MSAL use, not a general JOSE library.
 * @module
 */
import { constants, createPrivateKey, createSign, createVerify, type KeyObject } from "node:crypto";

/** A JWT split into its parts, with header and payload decoded. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/** Thrown when a JWT is malformed or its signature, audience or lifetime does not check out. */
export class JwtValidationError extends Error {
  override name = "JwtValidationError";
  /**
   * @param reason - a short machine-readable cause, e.g. `"signature"`, `"audience"`, `"expired"`
   * @param message - a human-readable explanation without any token content
   */
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Encodes bytes or a string as base64url without padding. */
export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Signs a JWT with RS256 (the default) or PS256. */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: KeyObject | string,
): string {
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  const alg = (header.alg as string | undefined) ?? "RS256";
  const signingInput = `${base64url(JSON.stringify({ typ: "JWT", ...header, alg }))}.${base64url(JSON.stringify(payload))}`;
  const signer = createSign("RSA-SHA256").update(signingInput);
  const signature =
    alg === "PS256" ? signer.sign({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) : signer.sign(key);
  return `${signingInput}.${base64url(signature)}`;
}

/** Splits and decodes a JWT without checking anything; throws {@link JwtValidationError} when it is not a JWT. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) throw new JwtValidationError("malformed", "not a compact JWS (three dot-separated parts)");
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")),
      payload: JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")),
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], "base64url"),
    };
  } catch {
    throw new JwtValidationError("malformed", "JWT header or payload is not base64url JSON");
  }
}

/** Verifies an RS256 or PS256 signature; any other `alg` (notably `none`) is refused. */
export function verifyJwtSignature(jwt: DecodedJwt, publicKey: KeyObject): void {
  const alg = jwt.header.alg;
  const verifier = createVerify("RSA-SHA256").update(jwt.signingInput);
  let ok: boolean;
  if (alg === "RS256") ok = verifier.verify(publicKey, jwt.signature);
  else if (alg === "PS256") {
    ok = verifier.verify({ key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, jwt.signature);
  } else throw new JwtValidationError("algorithm", `unsupported JWT alg ${String(alg)}`);
  if (!ok) throw new JwtValidationError("signature", "JWT signature does not verify");
}

/** Checks `exp` and `nbf` against the clock, with a small skew allowance. */
export function checkJwtLifetime(
  payload: Record<string, unknown>,
  nowSeconds = Math.floor(Date.now() / 1000),
  skewSeconds = 5,
): void {
  const exp = payload.exp;
  if (typeof exp !== "number") throw new JwtValidationError("expired", "JWT has no numeric exp");
  if (exp + skewSeconds <= nowSeconds) throw new JwtValidationError("expired", "JWT has expired");
  if (typeof payload.nbf === "number" && payload.nbf - skewSeconds > nowSeconds) {
    throw new JwtValidationError("not-yet-valid", "JWT is not valid yet (nbf)");
  }
}
