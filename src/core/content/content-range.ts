/**
 * Parsing of `Content-Range` (RFC 9110 §14.4) and the OCI upload `Range` header.
 * @module
 */

/** A byte range: first and last byte (inclusive) and the total, when known. */
export interface ByteRange {
  start: number;
  end: number;
  total?: number;
}

/** Parses `bytes a-b/total` or `bytes a-b/*`; undefined for anything else. */
export function parseContentRange(header: string | null | undefined): ByteRange | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  const range: ByteRange = { start: Number(match[1]), end: Number(match[2]) };
  if (match[3] !== "*") range.total = Number(match[3]);
  return checked(range);
}

/** Parses an upload session's `Range: 0-<end>`; undefined for anything else. */
export function parseUploadRange(header: string | null | undefined): ByteRange | undefined {
  const match = /^\s*(?:bytes=)?(\d+)-(\d+)\s*$/i.exec(header ?? "");
  return match ? checked({ start: Number(match[1]), end: Number(match[2]) }) : undefined;
}

function checked(range: ByteRange): ByteRange | undefined {
  const numbers = [range.start, range.end, range.total ?? 0];
  if (!numbers.every(Number.isSafeInteger) || range.end < range.start) return undefined;
  if (range.total !== undefined && range.end >= range.total) return undefined;
  return range;
}
