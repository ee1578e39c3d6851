/**
 * The seam through which acrkit computes digests: hash-wasm by default, a platform's native hash where there is one,
 * or a hash running on another thread for large transfers.
 * @module
 */
import { formatDigest, type DigestAlgorithm } from "../grammar/digest";

/**
 * An incremental hash of one digest algorithm.
 *
 * A hasher that runs elsewhere (a worker thread) may answer with promises. `update` must have taken the bytes it
 * needs before it returns: callers reuse their buffers as soon as the call returns (before its promise settles).
 * A returned promise means "wait before feeding more" (backpressure) and rejects when hashing failed.
 */
export interface Hasher {
  /** Feeds bytes; the caller may reuse `data` as soon as this returns. */
  update(data: Uint8Array): void | Promise<void>;
  /** The lowercase hex digest of everything fed; the hasher must not be used afterwards. */
  digestHex(): string | Promise<string>;
}

/** Creates hashers; the platform adapters supply faster ones than the portable default. */
export type HasherFactory = (algorithm: DigestAlgorithm) => Hasher | Promise<Hasher>;

/** The digest string (`sha256:<hex>`) of a finished hasher. */
export async function finishDigest(algorithm: DigestAlgorithm, hasher: Hasher): Promise<string> {
  return formatDigest(algorithm, await hasher.digestHex());
}

/** Digests bytes in one go. */
export async function digestOf(factory: HasherFactory, algorithm: DigestAlgorithm, bytes: Uint8Array): Promise<string> {
  const hasher = await factory(algorithm);
  await hasher.update(bytes);
  return finishDigest(algorithm, hasher);
}
