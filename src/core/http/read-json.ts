import { RegistryError } from "../errors/registry-error";
import { redactUrl } from "./redact";
import { readTextUpTo } from "./read-body";

/** The largest JSON document acrkit reads from a registry (a page of a listing, a token response). */
export const MAX_JSON_BODY = 16 * 1024 * 1024;

/** Reads a response body as a JSON object; a body that is not one becomes a RegistryError, never a SyntaxError. */
export async function readJsonObject<T extends object>(response: Response, method: string, url: URL): Promise<T> {
  const text = await readTextUpTo(response, MAX_JSON_BODY);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as T;
  throw new RegistryError({
    statusCode: response.status,
    method,
    url: redactUrl(url),
    message: `${method} ${redactUrl(url)}: the registry answered ${response.status} with a body that is not a JSON object`,
  });
}
