/**
 * Content-addressed blob bytes, kept as a list of chunks and read back as streams.
 * @module
 */

/** A stored blob; its bytes are the chunks in order, never concatenated (blobs can be 1 GiB). */
export interface StoredBlob {
  digest: string;
  size: number;
  chunks: Uint8Array[];
}

/** Largest piece handed to a response stream at once, so one huge request chunk does not become one huge write. */
const MAX_PIECE = 1024 * 1024;

/**
 * Streams the inclusive byte range `start..end` of a blob.
 *
 * Pull-based: a piece is produced only when the consumer asks, so a slow reader applies backpressure.
 */
export function streamRange(blob: StoredBlob, start: number, end: number): ReadableStream<Uint8Array> {
  let index = 0;
  let chunkStart = 0;
  let position = start;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        while (index < blob.chunks.length && chunkStart + blob.chunks[index]!.byteLength <= position) {
          chunkStart += blob.chunks[index]!.byteLength;
          index++;
        }
        const chunk = blob.chunks[index];
        if (position > end || !chunk) {
          controller.close();
          return;
        }
        const from = position - chunkStart;
        const to = Math.min(chunk.byteLength, end + 1 - chunkStart, from + MAX_PIECE);
        controller.enqueue(chunk.subarray(from, to));
        position = chunkStart + to;
      },
    },
    { highWaterMark: 0 },
  );
}

/** Concatenates chunks; only for small payloads (configs, manifests, forms). */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
