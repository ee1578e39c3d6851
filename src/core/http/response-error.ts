/**
 * Turns a failed response into a {@link RegistryError}.
 * @module
 */
import { RegistryError, type RegistryErrorDetail } from "../errors/registry-error";
import { readTextUpTo } from "./read-body";
import { redactDeep, redactText, redactUrl, redactValues, secretQueryValues } from "./redact";

/** How much of a non-JSON error body is kept for the error message. */
const SNIPPET_LENGTH = 200;
/** Error bodies larger than this are not read: a hostile server must not make us buffer megabytes. */
const MAX_ERROR_BODY = 64 * 1024;

/** Reads the response's error body (bounded) and builds the RegistryError for it. */
export async function toRegistryError(response: Response, method: string, url: string | URL): Promise<RegistryError> {
  const text = await readTextUpTo(response, MAX_ERROR_BODY);
  // A storage service may quote the signature of the (redirected) URL it refused; nothing of it may reach the error.
  const known = secretQueryValues(response.url);
  const details = parseErrorBody(text, known);
  const requestId =
    response.headers.get("x-ms-request-id") ??
    response.headers.get("x-ms-correlation-request-id") ??
    response.headers.get("x-request-id") ??
    undefined;
  return new RegistryError({
    statusCode: response.status,
    method,
    url: redactUrl(url),
    details,
    requestId,
    bodySnippet: details.length === 0 && text ? redactValues(snippet(text), known) : undefined,
  });
}

/**
 * Parses `{"errors":[{code,message,detail}]}`; anything else gives no details. Messages and every string in `detail`
 * are redacted (a server may echo a credential back), `secrets` too wherever they appear.
 */
export function parseErrorBody(text: string, secrets: readonly string[] = []): RegistryErrorDetail[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null)
    .map((entry) => ({
      code: typeof entry.code === "string" ? redactValues(redactText(entry.code), secrets) : "UNKNOWN",
      message: typeof entry.message === "string" ? redactValues(redactText(entry.message), secrets) : undefined,
      detail: redactDeep(entry.detail, secrets),
    }));
}

function snippet(text: string): string {
  // An HTML error page reads better without its markup.
  const flat = redactText(text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim());
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}
