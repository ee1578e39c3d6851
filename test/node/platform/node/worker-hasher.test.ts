import { spawn } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { existsSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { HashingError } from "../../../../src/core/errors/hashing-error";
import type { DigestAlgorithm } from "../../../../src/core/grammar/digest";
import { getDefaultHasherFactory } from "../../../../src/platform/node/index";
import {
  createWorkerHasherFactory,
  DEFAULT_WORKER_HASH_THRESHOLD,
  workerHasherFactory,
} from "../../../../src/platform/node/worker-hasher";

const KIB = 1024;
const MIB = 1024 * KIB;

function expected(algorithm: DigestAlgorithm, data: Uint8Array): string {
  return createHash(algorithm).update(data).digest("hex");
}

/** Feeds `data` in pieces of the given sizes (cycled), awaiting each update as callers must. */
async function hashInPieces(
  threshold: number,
  algorithm: DigestAlgorithm,
  data: Uint8Array,
  pieces: number[],
): Promise<string> {
  const hasher = await createWorkerHasherFactory({ threshold })(algorithm);
  for (let offset = 0, i = 0; offset < data.byteLength; i++) {
    const size = pieces[i % pieces.length]!;
    await hasher.update(data.subarray(offset, offset + size));
    offset += size;
  }
  return hasher.digestHex();
}

/** The operating system threads of this process (Linux). */
function threads(): number {
  return readdirSync("/proc/self/task").length;
}

/** The thread count once workers of earlier tests have finished exiting (unchanged for 300 ms). */
async function settledThreads(): Promise<number> {
  for (let last = threads(); ;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = threads();
    if (now === last) return now;
    last = now;
  }
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check();) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("worker hasher", () => {
  const sizes = [0, 1, 63, 64, 65, 1000, 64 * KIB + 3, MIB - 1, MIB, MIB + 1, 5 * MIB + 17];
  const chunkings = [[1], [7, 4096, 13], [64 * KIB], [MIB], [3 * MIB + 5]];

  it.each([0, 100 * KIB])(
    "gives node:crypto's SHA-256 for every size and chunking (threshold %i)",
    async (threshold) => {
      for (const size of sizes) {
        const data = randomFillSync(new Uint8Array(size));
        for (const pieces of chunkings) {
          // One-byte pieces of a megabyte would be a million messages to nowhere in particular: a few are enough.
          if (pieces[0] === 1 && size > 64 * KIB) continue;
          expect(
            await hashInPieces(threshold, "sha256", data, pieces),
            `size ${size}, pieces ${pieces.join("/")}`,
          ).toBe(expected("sha256", data));
        }
      }
    },
  );

  it("gives node:crypto's SHA-512 too", async () => {
    const data = randomFillSync(new Uint8Array(3 * MIB + 11));
    expect(await hashInPieces(0, "sha512", data, [256 * KIB])).toBe(expected("sha512", data));
    expect(await hashInPieces(MIB, "sha512", data, [256 * KIB])).toBe(expected("sha512", data));
  });

  it("takes its own copy: a caller may overwrite its buffer as soon as update returns", async () => {
    for (const threshold of [0, 2 * MIB]) {
      const hasher = await createWorkerHasherFactory({ threshold })("sha256");
      const reused = new Uint8Array(MIB);
      const all = new Uint8Array(12 * MIB);
      for (let i = 0; i < 12; i++) {
        randomFillSync(reused);
        all.set(reused, i * MIB);
        const pending = hasher.update(reused);
        // Overwritten before the worker could have hashed it: the hash must not see these bytes.
        reused.fill(0xa5);
        await pending;
      }
      expect(await hasher.digestHex()).toBe(expected("sha256", all));
      expect(reused.byteLength, "the caller's buffer was not transferred away").toBe(MIB);
    }
  });

  it("never detaches the memory of a Node Buffer it is fed (Buffers are views of shared pools)", async () => {
    const hasher = await createWorkerHasherFactory({ threshold: 10 })("sha256");
    const pool = Buffer.from(randomFillSync(new Uint8Array(64 * KIB)));
    const parts = [pool.subarray(0, 8), pool.subarray(8, 4096), pool.subarray(4096)];
    for (const part of parts) await hasher.update(part);
    expect(await hasher.digestHex()).toBe(expected("sha256", pool));
    expect(pool.buffer.byteLength).toBeGreaterThan(0);
    expect(parts.every((part) => part.buffer.byteLength > 0)).toBe(true);
  });

  it("stays on the calling thread up to the threshold: synchronous answers, no worker left", async () => {
    const before = await settledThreads();
    const hasher = await createWorkerHasherFactory({ threshold: MIB })("sha256");
    const data = randomFillSync(new Uint8Array(MIB));
    expect(hasher.update(data.subarray(0, MIB / 2))).toBeUndefined();
    expect(hasher.update(data.subarray(MIB / 2))).toBeUndefined();
    const digest = hasher.digestHex();
    expect(typeof digest).toBe("string");
    expect(digest).toBe(expected("sha256", data));
    // A worker may have been started in advance (past half the threshold); it is ended with the local digest.
    await eventually(() => threads() <= before);
  });

  it("keeps a single piece larger than the threshold local until the worker says it is ready, then moves to it", async () => {
    const before = await settledThreads();
    const hasher = await createWorkerHasherFactory({ threshold: MIB })("sha256");
    const data = randomFillSync(new Uint8Array(8 * MIB));
    // The worker starts with this piece, but has not said it is ready: the piece is hashed here.
    expect(hasher.update(data.subarray(0, 4 * MIB))).toBeUndefined();
    expect(threads()).toBeGreaterThan(before);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await hasher.update(data.subarray(4 * MIB));
    // A promise: the hash moved to the worker.
    const digest = hasher.digestHex();
    expect(digest).toBeInstanceOf(Promise);
    expect(await digest).toBe(expected("sha256", data));
  });

  it("starts one worker thread beyond the threshold and ends it with the digest", async () => {
    const before = await settledThreads();
    const hasher = await createWorkerHasherFactory({ threshold: MIB })("sha256");
    const data = randomFillSync(new Uint8Array(8 * MIB));
    for (let offset = 0; offset < data.byteLength; offset += 256 * KIB)
      await hasher.update(data.subarray(offset, offset + 256 * KIB));
    expect(threads()).toBeGreaterThan(before);
    expect(await hasher.digestHex()).toBe(expected("sha256", data));
    await eventually(() => threads() <= before);
  });

  /** A hasher whose worker runs `body` (an ES module) instead of acrkit's script. */
  async function hasherWithWorker(body: string) {
    const directory = mkdtempSync(join(tmpdir(), "acrkit-hash-worker-"));
    const script = join(directory, "hash-worker.js");
    writeFileSync(script, `import { parentPort } from "node:worker_threads";\n${body}\n`);
    return createWorkerHasherFactory({ threshold: 0, script: pathToFileURL(script) })("sha256");
  }

  /** Feeds 64 MiB (after a pause that lets a worker say it is ready) and asks for the digest. */
  async function feedAndDigest(hasher: Awaited<ReturnType<typeof hasherWithWorker>>): Promise<string> {
    await hasher.update(new Uint8Array(MIB));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 1; i < 64; i++) await hasher.update(new Uint8Array(MIB));
    return hasher.digestHex();
  }

  const failures = [
    [
      "reports a failure",
      'parentPort.on("message", (m) => m.type === "bytes" && parentPort.postMessage({ type: "failed", message: "disk on fire" }));',
      "worker-failed",
      "disk on fire",
    ],
    [
      "throws",
      'parentPort.on("message", (m) => { if (m.type !== "start") throw new Error("unexpected state"); });',
      "worker-failed",
      "unexpected state",
    ],
    [
      "exits before answering",
      'parentPort.on("message", (m) => m.type !== "start" && process.exit(7));',
      "worker-stopped",
      "exit code 7",
    ],
  ] as const;

  it.each(failures)("hashes on the calling thread when the worker %s before it said it was ready", async (_, body) => {
    const hasher = await hasherWithWorker(body);
    expect(await feedAndDigest(hasher)).toBe(expected("sha256", new Uint8Array(64 * MIB)));
  });

  it("hashes on the calling thread when the worker never says it is ready", async () => {
    const hasher = await hasherWithWorker('parentPort.on("message", () => undefined);');
    expect(await feedAndDigest(hasher)).toBe(expected("sha256", new Uint8Array(64 * MIB)));
  });

  it.each(failures)(
    "rejects with a HashingError when the worker %s after the hand-over (node:crypto's state cannot be resumed)",
    async (_, body, reason, detail) => {
      const hasher = await hasherWithWorker(`parentPort.postMessage({ type: "ready", resumable: false });\n${body}`);
      const failure = feedAndDigest(hasher);
      await expect(failure).rejects.toBeInstanceOf(HashingError);
      await expect(failure).rejects.toMatchObject({ reason, detail });
      // Once failed, the hasher stays failed: no digest can come out of it.
      await expect(Promise.resolve().then(() => hasher.digestHex())).rejects.toBeInstanceOf(HashingError);
    },
  );

  it("survives a worker that fails while started ahead of use: the hash stays local, below and above the threshold", async () => {
    const directory = mkdtempSync(join(tmpdir(), "acrkit-hash-worker-"));
    const script = join(directory, "hash-worker.js");
    const loaded = join(directory, "loaded");
    // The script leaves a mark, so that the test knows the worker ran and failed instead of guessing a delay.
    writeFileSync(
      script,
      `require("node:fs").writeFileSync(${JSON.stringify(loaded)}, "");\nthrow new Error("broken at load");\n`,
    );
    const baseline = await settledThreads();
    /** The worker ran, threw, and its thread is gone: its error has been posted to this thread. */
    const workerFailed = async () => {
      await eventually(() => existsSync(loaded) && threads() <= baseline, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const factory = createWorkerHasherFactory({ threshold: 2 * MIB, script: pathToFileURL(script) });
    const data = randomFillSync(new Uint8Array(4 * MIB));
    const small = await factory("sha256");
    // Past half the threshold: the worker starts, and fails, before anyone listens to it.
    small.update(data.subarray(0, 1.5 * MIB));
    await workerFailed();
    expect(small.digestHex()).toBe(expected("sha256", data.subarray(0, 1.5 * MIB)));
    const large = await factory("sha256");
    await large.update(data.subarray(0, 1.5 * MIB));
    await workerFailed();
    await large.update(data.subarray(1.5 * MIB));
    // The worker had failed before it was needed: the whole hash stayed on this thread, and is right.
    expect(await large.digestHex()).toBe(expected("sha256", data));
    // The factory starts no more workers: a third hash past the threshold answers at once, synchronously.
    const later = await factory("sha256");
    expect(later.update(data)).toBeUndefined();
    expect(later.digestHex()).toBe(expected("sha256", data));
  });

  it("hashes on the calling thread when the worker script is missing (a bundle that dropped it)", async () => {
    const hasher = await createWorkerHasherFactory({
      threshold: 0,
      script: pathToFileURL(join(tmpdir(), "no-such-dir", "hash-worker.js")),
    })("sha256");
    const data = randomFillSync(new Uint8Array(3 * MIB));
    for (let offset = 0; offset < data.byteLength; offset += MIB)
      await hasher.update(data.subarray(offset, offset + MIB));
    expect(await hasher.digestHex()).toBe(expected("sha256", data));
  });

  it("never keeps the process alive: abandoned hashers and finished ones let it exit on its own", async () => {
    const fixture = join(import.meta.dirname, "fixtures", "abandoned-hasher.ts");
    const child = spawn(process.execPath, ["--import", "tsx", fixture], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve("still running after 20 s");
      }, 20_000);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode ?? "killed");
      });
    });
    expect(code, output).toBe(0);
    expect(output).toContain("fed 64");
  });

  it("is acrkit/node's default, with the documented threshold", () => {
    expect(getDefaultHasherFactory()).toBe(workerHasherFactory);
    expect(DEFAULT_WORKER_HASH_THRESHOLD).toBeGreaterThan(0);
  });
});
