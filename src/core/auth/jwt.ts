/**
 * Reading the expiry of a JWT without verifying it: the registry verifies; we only need to know when to refresh.
 * @module
 */
import { parseJsonObject } from "../utils/json-object";

/** Returns the JWT's `exp` in milliseconds since the epoch, or undefined when the token is not a readable JWT. */
export function readJwtExpiry(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const exp = parseJsonObject(decodeBase64Url(parts[1]!))?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes base64url (with or without padding) to a UTF-8 string. */
export function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
