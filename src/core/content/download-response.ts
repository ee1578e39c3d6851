/**
 * What a blob read's response says about the bytes it carries: its body, where a range starts, the blob's size.
 * @module
 */
import { RegistryError } from "../errors/registry-error";
import { discard } from "../http/discard";
import { redactUrl } from "../redaction/redact";
import { parseContentRange } from "./content-range";

/** The response's body, or an empty stream for a response that has none (a 0-byte blob from an in-process fetch). */
export function bodyOf(response: Response): ReadableStream<Uint8Array> {
  return response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

/** The first byte of a 206's Content-Range; undefined when it has none that parses. */
export function rangeStart(response: Response): number | undefined {
  return parseContentRange(response.headers.get("content-range"))?.start;
}

/**
 * The blob's size from the first response: a 206's total, else `Content-Length`. Undefined when the body's length
 * says nothing about the blob: sent chunked, or encoded (a gzip answer is decoded by fetch and no longer has the
 * encoded length, registry-quirks rows 34 and 61); the digest verifies the bytes either way.
 */
export async function declaredSize(response: Response, digest: string): Promise<number | undefined> {
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get("content-range"));
    if (!range || range.start !== 0 || range.total === undefined)
      throw await brokenResponse(response, digest, "a Content-Range that does not match the request");
    return range.total;
  }
  if ((response.headers.get("content-encoding") ?? "identity").toLowerCase() !== "identity") return undefined;
  const header = response.headers.get("content-length");
  if (header === null) return undefined;
  const length = Number(header);
  if (!Number.isSafeInteger(length) || length < 0)
    throw await brokenResponse(response, digest, "an invalid Content-Length");
  return length;
}

/** The error for a response whose headers do not fit the read; its body is released, never quoted (it is blob bytes). */
export async function brokenResponse(response: Response, digest: string, problem: string): Promise<RegistryError> {
  await discard(response);
  const url = redactUrl(response.url || digest);
  return new RegistryError({
    statusCode: response.status,
    method: "GET",
    url,
    message: `GET ${url}: the registry sent ${problem}`,
  });
}
