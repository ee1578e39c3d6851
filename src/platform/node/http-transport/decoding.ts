/**
 * Content-Encoding undone as fetch undoes it: gzip (and x-gzip), deflate and br with node:zlib, several codings in
 * reverse order of listing; an unknown coding (or `identity`) leaves the bytes as they came. The Content-Encoding and
 * Content-Length headers stay as the server sent them, as with fetch: the core ignores that length for an encoded
 * body (download-response.ts, `declaredSize`).
 * @module
 */
import type { Transform } from "node:stream";
import { constants, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** More codings than this are refused rather than stacked (undici's bound too): each decoder costs memory. */
const MAX_CODINGS = 5;

/** Thrown for a Content-Encoding that lists more codings than anyone sends. */
export class TooManyCodingsError extends TypeError {
  override readonly name = "TooManyCodingsError";
  /** @param count - how many codings the header listed */
  constructor(readonly count: number) {
    super(`the response lists ${count} content codings, more than ${MAX_CODINGS}`);
  }
}

/**
 * The decoders for a Content-Encoding value, in the order the bytes pass them; empty when nothing is to be decoded.
 * A truncated stream ends with what could be decoded (as fetch: Z_SYNC_FLUSH), the break itself is reported by the
 * connection.
 */
export function decodersFor(contentEncoding: string | null): Transform[] {
  if (!contentEncoding) return [];
  const codings = contentEncoding
    .toLowerCase()
    .split(",")
    .map((coding) => coding.trim())
    .filter((coding) => coding !== "");
  if (codings.length > MAX_CODINGS) throw new TooManyCodingsError(codings.length);
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    const decoder = decoderFor(coding);
    if (!decoder) return [];
    decoders.push(decoder);
  }
  return decoders;
}

function decoderFor(coding: string): Transform | undefined {
  switch (coding) {
    case "gzip":
    case "x-gzip":
      return createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
    case "deflate":
      return createInflate({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
    case "br":
      return createBrotliDecompress({
        flush: constants.BROTLI_OPERATION_FLUSH,
        finishFlush: constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      return undefined;
  }
}
