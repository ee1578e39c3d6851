/**
 * SHA-256 and SHA-512 through node:crypto (which Deno and Bun provide too): about four times hash-wasm's speed.
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import type { Hasher, HasherCheckpoint, HasherFactory } from "../../core/digest/hasher";

class NodeHasher implements Hasher {
  constructor(private hash: Hash) {}

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  checkpoint(): HasherCheckpoint {
    return this.hash.copy();
  }

  restore(checkpoint: HasherCheckpoint): void {
    // The checkpoint is copied again so that it can be restored more than once.
    this.hash = (checkpoint as Hash).copy();
  }

  digestHex(): string {
    return this.hash.digest("hex");
  }
}

/** Creates node:crypto hashers; acrkit/node makes it the default on import. */
export const nativeHasherFactory: HasherFactory = (algorithm) => new NodeHasher(createHash(algorithm));
