/**
 * The one reader of JSON bodies: registry answers, error documents, token responses, manifests, JWT payloads.
 * @module
 */

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Text, or bytes in UTF-8, parsed as JSON: the value, or the error of the decoder or of JSON.parse. */
function parseJson(input: string | Uint8Array): { value: unknown } | { error: Error } {
  try {
    return { value: JSON.parse(typeof input === "string" ? input : UTF8.decode(input)) };
  } catch (error) {
    return { error: error as Error };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses text, or bytes in UTF-8, as a JSON object; undefined for anything else (invalid UTF-8 or JSON, an array, a
 * string, a number, null). Never throws, so each caller says in its own error what it expected.
 */
export function parseJsonObject(input: string | Uint8Array): Record<string, unknown> | undefined {
  const parsed = parseJson(input);
  return "value" in parsed && isObject(parsed.value) ? parsed.value : undefined;
}

/**
 * Why `input` is no JSON object, for a message: `not valid UTF-8 JSON: <the parser's words>` or `JSON but not a JSON
 * object`; undefined when it is one.
 */
export function jsonObjectProblem(input: string | Uint8Array): string | undefined {
  const parsed = parseJson(input);
  if ("error" in parsed) return `not valid UTF-8 JSON: ${parsed.error.message.slice(0, 120)}`;
  return isObject(parsed.value) ? undefined : "JSON but not a JSON object";
}
