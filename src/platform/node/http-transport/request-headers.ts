/**
 * The header block node:http sends for a fetch-style request: the caller's headers, plus the two fetch adds when
 * they are missing (`Accept`, `Accept-Encoding`), so that a server answers as it answers Node's fetch.
 * @module
 */

/** What the request's body says about itself: its length and media type, where known. */
export interface BodyFacts {
  length?: number;
  type?: string;
}

/**
 * The outgoing headers by lowercase name. `Content-Length` and `Content-Type` come from the body where the caller set
 * none, as fetch sets them; a body of unknown length (a stream) goes chunked. Values of repeated names are combined
 * with ", " as Headers combines them.
 */
export function requestHeaders(
  init: HeadersInit | undefined,
  https: boolean,
  body?: BodyFacts,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (init) for (const [name, value] of init instanceof Headers ? init : new Headers(init)) headers[name] = value;
  headers.accept ??= "*/*";
  // As undici asks: Brotli only over TLS (some proxies on plain HTTP garble it).
  headers["accept-encoding"] ??= https ? "br, gzip, deflate" : "gzip, deflate";
  if (body?.type !== undefined) headers["content-type"] ??= body.type;
  if (body?.length !== undefined) headers["content-length"] ??= String(body.length);
  return headers;
}
