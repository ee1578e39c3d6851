/**
 * The one reader of JSON bodies: registry answers, error documents, token responses, manifests, JWT payloads.
 * @module
 */

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses text, or bytes in UTF-8, as a JSON object; undefined for anything else (invalid UTF-8 or JSON, an array, a
 * string, a number, null). Never throws, so each caller says in its own error what it expected.
 */
export function parseJsonObject(input: string | Uint8Array): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof input === "string" ? input : UTF8.decode(input));
  } catch {
    return undefined;
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
