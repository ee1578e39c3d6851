/**
 * Small Web-standard response and request-body helpers shared by the routes.
 * @module
 */
import { concatChunks } from "./blobs";

/** A JSON response with ACR's content type. */
export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const result = new Response(bytes, { status, headers });
  result.headers.set("Content-Type", "application/json; charset=utf-8");
  result.headers.set("Content-Length", String(bytes.byteLength));
  return result;
}

/** A bodiless response; registries send `Content-Length: 0` on 201 and 202 answers. */
export function empty(status: number, headers?: HeadersInit): Response {
  const result = new Response(null, { status, headers });
  if (status !== 204) result.headers.set("Content-Length", "0");
  return result;
}

/** Thrown by {@link readLimited} when a body exceeds its limit. */
export class BodyTooLargeError extends Error {
  /** @param limit the limit in bytes that was exceeded */
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * Reads a whole request body, refusing more than `limit` bytes.
 *
 * Only for small bodies (manifests, JSON, forms); blob bodies are streamed instead.
 */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return concatChunks(chunks);
}

/** Parses a JSON body into an object, or undefined when it is not a JSON object. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
