/**
 * How to hand bytes to a hashing worker thread: what the receiving thread pays per byte, and the time to the digest.
 *
 * - copy into pooled 1 MiB batches, transfer them, get them back (acrkit's worker hasher, safe for reused buffers);
 * - structured clone of every piece (`postMessage` without a transfer list: safe, one message per piece);
 * - transfer of every piece's own buffer, no copy (unsafe for a caller that reuses its buffer or still needs the
 *   bytes, e.g. a download stream that hands them on: measured as the bound of what skipping the copy could save).
 *
 * Pieces are standalone buffers like the ones a fetch body yields. Main-thread cost is the event loop's active time.
 * Usage: `node --import tsx bench/hash-transfer.ts [MiB] [rounds]`; prints a table and one JSON line.
 * @module
 */
import { createHash, randomFillSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { createWorkerHasherFactory } from "../src/platform/node/worker-hasher";
import { mbPerSecond, median } from "./lib/stats";

const MIB = 1024 * 1024;
const size = Number(process.argv[2] ?? 256) * MIB;
const rounds = Number(process.argv[3] ?? 5);
const source = randomFillSync(new Uint8Array(size));
const expected = createHash("sha256").update(source).digest("hex");
const workerScript = new URL("../src/platform/node/node-hash-worker.js", import.meta.url);

/** Fresh standalone pieces of the source (a transfer detaches them, so every run gets its own). */
function piecesOf(piece: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < size; offset += piece) pieces.push(source.slice(offset, offset + piece));
  return pieces;
}

/** Feeds the pieces to a raw worker (acrkit's worker script), per piece, cloned or transferred; resolves the digest. */
async function perPiece(pieces: Uint8Array[], transfer: boolean): Promise<string> {
  const worker = new Worker(workerScript);
  try {
    const digest = new Promise<string>((resolve, reject) => {
      worker.on("message", (message: { type: string; hex?: string; message?: string }) => {
        if (message.type === "digest") resolve(message.hex!);
        if (message.type === "failed") reject(new Error(message.message));
      });
      worker.on("error", reject);
    });
    worker.postMessage({ type: "start", algorithm: "sha256" });
    for (const piece of pieces) {
      const buffer = piece.buffer as ArrayBuffer;
      worker.postMessage(
        { type: "bytes", buffer, offset: piece.byteOffset, length: piece.byteLength },
        transfer ? [buffer] : [],
      );
    }
    worker.postMessage({ type: "finish" });
    return await digest;
  } finally {
    await worker.terminate();
  }
}

async function viaAcrkit(pieces: Uint8Array[]): Promise<string> {
  const hasher = await createWorkerHasherFactory({ threshold: 0 })("sha256");
  for (const piece of pieces) await hasher.update(piece);
  return hasher.digestHex();
}

const ways: Record<string, (pieces: Uint8Array[]) => Promise<string>> = {
  "copy into batches + transfer (acrkit)": viaAcrkit,
  "structured clone per piece": (pieces) => perPiece(pieces, false),
  "transfer per piece, no copy (unsafe)": (pieces) => perPiece(pieces, true),
};

const results: Array<{ way: string; pieceBytes: number; mbps: number; mainThreadMs: number }> = [];
for (const piece of [64 * 1024, 8 * MIB]) {
  const samples = new Map<string, Array<{ ms: number; activeMs: number }>>();
  const names = Object.keys(ways);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]!;
      const pieces = piecesOf(piece);
      const before = performance.eventLoopUtilization();
      const started = performance.now();
      const hex = await ways[name]!(pieces);
      const ms = performance.now() - started;
      const used = performance.eventLoopUtilization(before);
      if (hex !== expected) throw new Error(`${name} computed the wrong digest`);
      samples.set(name, [...(samples.get(name) ?? []), { ms, activeMs: used.active }]);
    }
  }
  for (const [way, values] of samples) {
    results.push({
      way,
      pieceBytes: piece,
      mbps: mbPerSecond(size, median(values.map((v) => v.ms))),
      mainThreadMs: median(values.map((v) => v.activeMs)),
    });
  }
}
for (const r of results)
  process.stderr.write(
    `${`${r.pieceBytes / 1024} KiB pieces`.padEnd(16)} ${r.way.padEnd(40)} ${r.mbps.toFixed(0).padStart(6)} MB/s  main thread busy ${r.mainThreadMs.toFixed(0)} ms\n`,
  );
process.stdout.write(`${JSON.stringify({ bytes: size, rounds, results })}\n`);
