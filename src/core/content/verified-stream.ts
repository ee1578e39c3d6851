/**
 * Streams whose producer checks their bytes against a digest as they flow (a download being copied): an upload of
 * one under that same digest leaves the hashing to the producer and to the registry, instead of hashing again.
 * @module
 */

const verified = new WeakMap<ReadableStream<Uint8Array>, string>();

/**
 * Marks `stream` as checked against `digest` by its producer, which errors the stream instead of closing it when the
 * bytes differ; returns the stream.
 */
export function markVerified(stream: ReadableStream<Uint8Array>, digest: string): ReadableStream<Uint8Array> {
  verified.set(stream, digest);
  return stream;
}

/** The digest `stream`'s producer checks its bytes against, if it was marked. */
export function verifiedDigestOf(stream: unknown): string | undefined {
  return stream instanceof ReadableStream ? verified.get(stream) : undefined;
}
