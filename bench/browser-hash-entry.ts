/**
 * Bundled by esbuild into the page for the Chromium hashing measurement: acrkit's portable hasher (hash-wasm)
 * exactly as the browser build ships it.
 * @module
 */
import { wasmHasherFactory } from "../src/core/digest/wasm-hasher";

/** Hashes `mib` MiB of random bytes in 1 MiB pieces `rounds` times; returns each round's milliseconds. */
export async function hashRounds(mib: number, rounds: number): Promise<number[]> {
  const data = new Uint8Array(mib * 1024 * 1024);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < data.byteLength; offset += 65536)
    crypto.getRandomValues(data.subarray(offset, offset + 65536));
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const hasher = await wasmHasherFactory("sha256");
    for (let offset = 0; offset < data.byteLength; offset += 1024 * 1024)
      hasher.update(data.subarray(offset, offset + 1024 * 1024));
    hasher.digestHex();
    times.push(performance.now() - started);
  }
  return times;
}
