/**
 * Blob GET/HEAD answers with single-range support (206, Content-Range, 416), shared by the registry and storage origins.
 * @module
 */
import { streamRange, type StoredBlob } from "./blobs";
import { errorResponse } from "./errors";

/** The inclusive byte range a `Range` header asks for; "unsatisfiable", or undefined for the whole blob. */
function requestedRange(
  header: string | null,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  // Multi-range and non-byte units are not supported: RFC 9110 lets a server ignore the header then.
  const match = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || start > end ? "unsatisfiable" : { start, end };
}

/**
 * Serves a blob, or the part a `Range` header asks for; HEAD gets the same headers without a body. `ignoreRange`
 * answers every request with the whole blob (registry-quirks row 51).
 */
export function serveBlob(request: Request, blob: StoredBlob, ignoreRange = false): Response {
  const headers = new Headers({
    "Content-Type": "application/octet-stream",
    "Docker-Content-Digest": blob.digest,
    "Accept-Ranges": "bytes",
    ETag: `"${blob.digest}"`,
  });
  const range = ignoreRange ? undefined : requestedRange(request.headers.get("range"), blob.size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${blob.size}`);
    return errorResponse(416, "RANGE_INVALID", "requested range not satisfiable", { size: blob.size }, headers);
  }
  const { start, end } = range ?? { start: 0, end: blob.size - 1 };
  headers.set("Content-Length", String(end - start + 1));
  if (range) headers.set("Content-Range", `bytes ${start}-${end}/${blob.size}`);
  const body = request.method === "HEAD" || blob.size === 0 ? null : streamRange(blob, start, end);
  return new Response(body, { status: range ? 206 : 200, headers });
}
