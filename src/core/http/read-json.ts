/**
 * Reading a registry's JSON answer: bounded, with read failures passed on and a malformed body typed.
 * @module
 */
import { MalformedResponseError } from "../errors/malformed-response-error";
import { readUpTo } from "./read-body";
import { redactUrl } from "../redaction/redact";
import { parseJsonObject } from "../utils/json-object";

/** The largest JSON document acrkit reads from a registry (a page of a listing). */
export const MAX_JSON_BODY = 16 * 1024 * 1024;

/**
 * Reads a response body as a JSON object. A read that fails rejects with that failure (a NetworkError, or the abort
 * signal's reason); a complete body that is not a JSON object, or one over {@link MAX_JSON_BODY}, is a
 * {@link MalformedResponseError}, never a SyntaxError.
 */
export async function readJsonObject<T extends object>(response: Response, method: string, url: URL): Promise<T> {
  const { bytes, complete } = await readUpTo(response, MAX_JSON_BODY);
  const parsed = complete ? parseJsonObject(bytes) : undefined;
  if (parsed !== undefined) return parsed as T;
  const where = redactUrl(url);
  const problem = complete ? "a body that is not a JSON object" : `a JSON body over ${MAX_JSON_BODY} bytes`;
  throw new MalformedResponseError({
    statusCode: response.status,
    method,
    url: where,
    message: `${method} ${where}: the registry answered ${response.status} with ${problem}`,
  });
}
