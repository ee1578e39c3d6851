/**
 * The portable hasher: hash-wasm's SHA-256 and SHA-512, which run in every runtime.
 * @module
 */
import type { IHasher } from "hash-wasm";
import type { Hasher, HasherFactory } from "./hasher";

class WasmHasher implements Hasher {
  constructor(private readonly inner: IHasher) {}

  update(data: Uint8Array): void {
    this.inner.update(data);
  }

  digestHex(): string {
    return this.inner.digest("hex");
  }
}

/** Creates hash-wasm hashers, loading hash-wasm on the first call. */
export const wasmHasherFactory: HasherFactory = async (algorithm) => {
  const { createSHA256, createSHA512 } = await import("./wasm-algorithms");
  const inner = await (algorithm === "sha256" ? createSHA256() : createSHA512());
  inner.init();
  return new WasmHasher(inner);
};
