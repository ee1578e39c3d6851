/**
 * Bounded reading of response bodies: a broken or hostile server must not make acrkit buffer without limit.
 * @module
 */

/** Bytes read from a body, and whether they are all of it. */
export interface BoundedBody {
  bytes: Uint8Array;
  /** False when the body went on past the limit (the rest was cancelled). */
  complete: boolean;
}

/**
 * Reads at most `limit` bytes of the body and cancels the rest. A body that fails midway rejects with the failure
 * (the transport makes it a NetworkError, or the abort signal's reason): a partial body is never passed off as whole.
 */
export async function readUpTo(response: Response, limit: number): Promise<BoundedBody> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), complete: true };
  const parts: Uint8Array[] = [];
  let size = 0;
  let complete = false;
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) {
        complete = true;
        break;
      }
      parts.push(value);
      size += value.byteLength;
    }
  } finally {
    if (!complete) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return { bytes: concat(parts, Math.min(size, limit)), complete: complete && size <= limit };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    if (offset >= length) break;
    const take = part.subarray(0, length - offset);
    bytes.set(take, offset);
    offset += take.byteLength;
  }
  return bytes;
}
