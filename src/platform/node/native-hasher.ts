/**
 * SHA-256 and SHA-512 through node:crypto (which Deno and Bun provide too): about four times hash-wasm's speed.
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import type { Hasher, HasherFactory } from "../../core/digest/hasher";

class NodeHasher implements Hasher {
  constructor(private readonly hash: Hash) {}

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digestHex(): string {
    return this.hash.digest("hex");
  }
}

/** Creates node:crypto hashers; acrkit/node makes it the default on import. */
export const nativeHasherFactory: HasherFactory = (algorithm) => new NodeHasher(createHash(algorithm));
