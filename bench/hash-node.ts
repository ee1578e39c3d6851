/**
 * Digest throughput in Node: raw node:crypto SHA-256 against acrkit's Hasher seam (the native hasher, the default
 * that acrkit/node installs (a worker thread beyond its threshold), and hash-wasm), on the same 256 MiB of random
 * bytes, alternating, median of rounds.
 *
 * Usage: `node --import tsx bench/hash-node.ts [MiB] [rounds]`; prints one JSON line.
 * @module
 */
import { createHash, randomFillSync } from "node:crypto";
import { getDefaultHasherFactory, wasmHasherFactory, type HasherFactory } from "../src/platform/node/index";
import { nativeHasherFactory } from "../src/platform/node/native-hasher";
import { workerHasherFactory } from "../src/platform/node/worker-hasher";
import { median, mbPerSecond } from "./lib/stats";

const MIB = 1024 * 1024;
const size = Number(process.argv[2] ?? 256) * MIB;
const rounds = Number(process.argv[3] ?? 5);
const data = randomFillSync(new Uint8Array(size));

/** Time to hash `data` in pieces of `piece` bytes with one hasher. */
type Contender = (piece: number) => Promise<number>;

function viaFactory(factory: HasherFactory): Contender {
  return async (piece) => {
    const started = performance.now();
    const hasher = await factory("sha256");
    for (let offset = 0; offset < size; offset += piece) await hasher.update(data.subarray(offset, offset + piece));
    await hasher.digestHex();
    return performance.now() - started;
  };
}

const contenders: Record<string, Contender> = {
  "node:crypto (raw)": async (piece) => {
    const started = performance.now();
    const hash = createHash("sha256");
    for (let offset = 0; offset < size; offset += piece) hash.update(data.subarray(offset, offset + piece));
    hash.digest("hex");
    return performance.now() - started;
  },
  "acrkit native hasher": viaFactory(nativeHasherFactory),
  "acrkit/node default hasher": viaFactory(getDefaultHasherFactory()),
  "acrkit hash-wasm": viaFactory(wasmHasherFactory),
};

const pieces = [64 * 1024, 1 * MIB, 8 * MIB];
const results: Array<{ contender: string; pieceBytes: number; mbps: number; samples: number[] }> = [];
const samples = new Map<string, number[]>();
const names = Object.keys(contenders);
for (let round = 0; round < rounds; round++) {
  for (const piece of pieces) {
    // Rotated so that no contender always runs first (cold caches) or last.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]!;
      const key = `${name}|${piece}`;
      samples.set(key, [...(samples.get(key) ?? []), await contenders[name]!(piece)]);
    }
  }
}
for (const [key, values] of samples) {
  const [contender, piece] = key.split("|");
  results.push({
    contender: contender!,
    pieceBytes: Number(piece),
    mbps: mbPerSecond(size, median(values)),
    samples: values,
  });
}
process.stdout.write(
  `${JSON.stringify({ bytes: size, rounds, defaultIsWorkerHasher: getDefaultHasherFactory() === workerHasherFactory, results })}\n`,
);
