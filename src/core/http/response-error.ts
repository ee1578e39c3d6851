/**
 * Turns a failed response into a {@link RegistryError}.
 * @module
 */
import { RegistryError, type RegistryErrorDetail } from "../errors/registry-error";
import { readTextUpTo } from "./read-body";
import { redactText, redactUrl } from "./redact";

/** How much of a non-JSON error body is kept for the error message. */
const SNIPPET_LENGTH = 200;
/** Error bodies larger than this are not read: a hostile server must not make us buffer megabytes. */
const MAX_ERROR_BODY = 64 * 1024;

/** Reads the response's error body (bounded) and builds the RegistryError for it. */
export async function toRegistryError(response: Response, method: string, url: string | URL): Promise<RegistryError> {
  const text = await readTextUpTo(response, MAX_ERROR_BODY);
  const details = parseErrorBody(text);
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
    bodySnippet: details.length === 0 && text ? snippet(text) : undefined,
  });
}

/** Parses `{"errors":[{code,message,detail}]}`; anything else gives no details. */
export function parseErrorBody(text: string): RegistryErrorDetail[] {
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
      code: typeof entry.code === "string" ? entry.code : "UNKNOWN",
      message: typeof entry.message === "string" ? redactText(entry.message) : undefined,
      detail: entry.detail,
    }));
}

function snippet(text: string): string {
  const flat = redactText(text.replace(/\s+/g, " ").trim());
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}
