/**
 * The portable hasher: hash-wasm's SHA-256 and SHA-512, which run in every runtime and can save their state.
 * @module
 */
import { createSHA256, createSHA512, type IHasher } from "hash-wasm";
import type { Hasher, HasherCheckpoint, HasherFactory } from "./hasher";

const CREATE = { sha256: createSHA256, sha512: createSHA512 } as const;

class WasmHasher implements Hasher {
  constructor(private readonly inner: IHasher) {}

  update(data: Uint8Array): void {
    this.inner.update(data);
  }

  checkpoint(): HasherCheckpoint {
    return this.inner.save();
  }

  restore(checkpoint: HasherCheckpoint): void {
    this.inner.load(checkpoint as Uint8Array);
  }

  digestHex(): string {
    return this.inner.digest("hex");
  }
}

/** Creates hash-wasm hashers. */
export const wasmHasherFactory: HasherFactory = async (algorithm) => {
  const inner = await CREATE[algorithm]();
  inner.init();
  return new WasmHasher(inner);
};
