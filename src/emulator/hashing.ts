/**
 * Incremental SHA-256 and SHA-512 over chunk lists, via hash-wasm.
 *
 * Blobs may be 1 GiB, so the emulator never concatenates them: it hashes chunk by chunk.
 * @module
 */
import { createSHA256, createSHA512, type IHasher } from "hash-wasm";
import type { DigestAlgorithm } from "../core/grammar/digest";

/** An initialised incremental hasher for the given algorithm. */
export async function createHasher(algorithm: DigestAlgorithm): Promise<IHasher> {
  const hasher = algorithm === "sha256" ? await createSHA256() : await createSHA512();
  hasher.init();
  return hasher;
}

/** The digest (`alg:hex`) of a list of chunks taken as one byte sequence. */
export async function digestChunks(algorithm: DigestAlgorithm, chunks: Iterable<Uint8Array>): Promise<string> {
  const hasher = await createHasher(algorithm);
  for (const chunk of chunks) hasher.update(chunk);
  return `${algorithm}:${hasher.digest("hex")}`;
}

/** The `sha256:` digest of some bytes. */
export function sha256Digest(bytes: Uint8Array): Promise<string> {
  return digestChunks("sha256", [bytes]);
}
