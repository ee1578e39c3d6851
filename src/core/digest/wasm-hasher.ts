/**
 * The portable hasher: hash-wasm's SHA-256 and SHA-512, which run in every runtime.
 * @module
 */
import type { IHasher } from "hash-wasm";
import type { DigestAlgorithm } from "../grammar/digest";
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

/** A hash-wasm hasher, loading hash-wasm on the first call. */
async function createInner(algorithm: DigestAlgorithm): Promise<IHasher> {
  const { createSHA256, createSHA512 } = await import("./wasm-algorithms");
  return algorithm === "sha256" ? createSHA256() : createSHA512();
}

/** Creates hash-wasm hashers, loading hash-wasm on the first call. */
export const wasmHasherFactory: HasherFactory = async (algorithm) => {
  const inner = await createInner(algorithm);
  inner.init();
  return new WasmHasher(inner);
};

/** A hash-wasm hasher that carries on from a state another one saved (a hash worker's, in `returned`). */
export async function resumeWasmHasher(algorithm: DigestAlgorithm, state: Uint8Array): Promise<Hasher> {
  const inner = await createInner(algorithm);
  inner.load(state);
  return new WasmHasher(inner);
}
