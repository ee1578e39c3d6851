/**
 * The seam through which acrkit computes digests: hash-wasm by default, a platform's native hash where there is one.
 * @module
 */
import { formatDigest, type DigestAlgorithm } from "../grammar/digest";

/** An incremental hash of one digest algorithm. */
export interface Hasher {
  /** Feeds bytes. */
  update(data: Uint8Array): void;
  /** The lowercase hex digest of everything fed; the hasher must not be used afterwards. */
  digestHex(): string;
}

/** Creates hashers; the platform adapters supply faster ones than the portable default. */
export type HasherFactory = (algorithm: DigestAlgorithm) => Hasher | Promise<Hasher>;

/** The digest string (`sha256:<hex>`) of a finished hasher. */
export function finishDigest(algorithm: DigestAlgorithm, hasher: Hasher): string {
  return formatDigest(algorithm, hasher.digestHex());
}

/** Digests bytes in one go. */
export async function digestOf(factory: HasherFactory, algorithm: DigestAlgorithm, bytes: Uint8Array): Promise<string> {
  const hasher = await factory(algorithm);
  hasher.update(bytes);
  return finishDigest(algorithm, hasher);
}
