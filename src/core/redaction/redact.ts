/**
 * Removal of secrets from what acrkit shows: URLs in errors and logs, and free text.
 * @module
 */

/** Query parameters that carry secrets: SAS signatures and OAuth tokens. */
const SECRET_QUERY_PARAMETERS = new Set([
  "sig",
  "signature",
  "se",
  "skoid",
  "sktid",
  "access_token",
  "refresh_token",
  "token",
  "password",
  "code",
]);

const REDACTED = "REDACTED";

/**
 * The values of a URL's secret query parameters (a SAS `sig`, say), so that text a server sends back about that URL
 * can have them removed even where they stand alone, not as `name=value`.
 */
export function secretQueryValues(url: string | URL | undefined): string[] {
  if (!url) return [];
  try {
    return Array.from(new URL(String(url)).searchParams)
      .filter(([key, value]) => SECRET_QUERY_PARAMETERS.has(key.toLowerCase()) && value.length >= 4)
      .map(([, value]) => value);
  } catch {
    return [];
  }
}

/** Replaces every occurrence of the given secrets in text. */
export function redactValues(text: string, values: readonly string[]): string {
  return values.reduce((result, value) => (value ? result.split(value).join(REDACTED) : result), text);
}

/**
 * Redacts every string inside a JSON-like value (a registry's free-form `detail`), keeping its shape; the value of a
 * key that names a secret (`refresh_token`, `password`, …) is replaced whole.
 */
export function redactDeep(value: unknown, values: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") return redactText(redactValues(value, values));
  if (depth > 20 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, values, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redactDeep(item, values, depth + 1),
    ]),
  );
}

/** Returns the URL with user info and secret query values replaced by `REDACTED`. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  if (parsed.username || parsed.password) {
    parsed.username = REDACTED;
    parsed.password = "";
  }
  for (const key of Array.from(parsed.searchParams.keys())) {
    if (SECRET_QUERY_PARAMETERS.has(key.toLowerCase())) parsed.searchParams.set(key, REDACTED);
  }
  return parsed.toString();
}

const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const AUTH_HEADER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_NAMES =
  "access_token|refresh_token|identitytoken|identity_token|password|client_secret|client_assertion|sig|secret|token";
const SECRET_KEY = new RegExp(`^(${SECRET_NAMES})$`, "i");
const SECRET_PAIR_PATTERN = new RegExp(`\\b(${SECRET_NAMES})=[^&\\s"']+`, "gi");
const SECRET_JSON_PATTERN = new RegExp(`"(${SECRET_NAMES})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");
const USER_INFO_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi;

/**
 * Replaces JWTs, Authorization values, URL user info, and secrets named in `name=value` or JSON `"name": "value"`
 * form in free text (a response snippet, an error message).
 */
export function redactText(text: string): string {
  return text
    .replace(JWT_PATTERN, REDACTED)
    .replace(AUTH_HEADER_PATTERN, `$1 ${REDACTED}`)
    .replace(USER_INFO_PATTERN, `$1${REDACTED}@`)
    .replace(SECRET_PAIR_PATTERN, `$1=${REDACTED}`)
    .replace(SECRET_JSON_PATTERN, `"$1"$2"${REDACTED}"`);
}
