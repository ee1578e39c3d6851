/**
 * acrkit/browser's Web Worker hasher in Chromium: the same digests as WebCrypto for every size and chunking, the
 * caller's buffers never taken, failures of the worker as HashingError, and the main thread as the fallback.
 */
import { describe, expect, it } from "vitest";
import { HashingError } from "../../src/index";
import type { Hasher } from "../../src/core/digest/hasher";
import { browserWorkerHasherFactory, createBrowserWorkerHasherFactory } from "../../src/platform/browser/worker-hasher";

const KiB = 1024;
const MiB = 1024 * KiB;

function random(size: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(data.subarray(offset, Math.min(size, offset + 65536)));
  return data;
}

async function webCrypto(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function feed(hasher: Hasher, data: Uint8Array, piece: number): Promise<string> {
  for (let offset = 0; offset < data.byteLength; offset += piece) await hasher.update(data.subarray(offset, offset + piece));
  return hasher.digestHex();
}

/** Counts the workers a factory starts, all of them acrkit's own script. */
function counted(threshold: number) {
  const started: Worker[] = [];
  const factory = createBrowserWorkerHasherFactory({
    threshold,
    createWorker: () => {
      const worker = new Worker(new URL("../../src/platform/browser/browser-hash-worker.js", import.meta.url), { type: "module" });
      started.push(worker);
      return worker;
    },
  });
  return { factory, started };
}

describe("Web Worker hasher", () => {
  it("gives WebCrypto's SHA-256 for every size and chunking, through the default worker", async () => {
    for (const size of [0, 1, 64, 65, 100_000, MiB, 5 * MiB + 3]) {
      const data = random(size);
      for (const piece of [4096 + 7, 64 * KiB, MiB, 3 * MiB]) {
        const worker = await createBrowserWorkerHasherFactory({ threshold: 0 })("sha256");
        expect(await feed(worker, data, piece), `size ${size}, piece ${piece}`).toBe(await webCrypto(data));
      }
    }
  });

  it("is the default of acrkit/browser's factory: local up to the threshold, a worker beyond", async () => {
    const data = random(9 * MiB);
    expect(await feed(await browserWorkerHasherFactory("sha256"), data, 256 * KiB)).toBe(await webCrypto(data));
    const { factory, started } = counted(MiB);
    const small = await factory("sha256");
    // Half the threshold at most: no worker is even started in advance.
    expect(small.update(data.subarray(0, MiB / 2))).toBeUndefined();
    expect(typeof small.digestHex()).toBe("string");
    expect(started).toHaveLength(0);
    expect(await feed(await factory("sha256"), data, 256 * KiB)).toBe(await webCrypto(data));
    expect(started).toHaveLength(1);
  });

  it("takes its own copy: the caller may overwrite its buffer as soon as update returns", async () => {
    const { factory } = counted(2 * MiB);
    const hasher = await factory("sha256");
    const reused = new Uint8Array(MiB);
    const all = new Uint8Array(10 * MiB);
    for (let i = 0; i < 10; i++) {
      reused.set(random(MiB));
      all.set(reused, i * MiB);
      const pending = hasher.update(reused);
      reused.fill(0x5a);
      await pending;
    }
    expect(await hasher.digestHex()).toBe(await webCrypto(all));
    expect(reused.byteLength, "the caller's buffer was not transferred away").toBe(MiB);
  });

  it("rejects with a HashingError when the worker script cannot load", async () => {
    const factory = createBrowserWorkerHasherFactory({ threshold: 0, createWorker: () => new Worker(new URL("/no-such-worker.js", location.href), { type: "module" }) });
    const hasher = await factory("sha256");
    const failure = (async () => {
      for (let i = 0; i < 32; i++) await hasher.update(new Uint8Array(MiB));
      return hasher.digestHex();
    })();
    await expect(failure).rejects.toBeInstanceOf(HashingError);
  });

  it("hashes on the main thread when no worker can be started", async () => {
    const factory = createBrowserWorkerHasherFactory({
      threshold: 0,
      createWorker: () => {
        throw new DOMException("workers are forbidden here", "SecurityError");
      },
    });
    const data = random(3 * MiB);
    expect(await feed(await factory("sha256"), data, MiB)).toBe(await webCrypto(data));
  });
});
