/**
 * acrkit/browser's Web Worker hasher in every engine: the same digests as WebCrypto for every size and chunking, the
 * caller's buffers never taken, and a worker that is missing, throws, is forbidden or dies never failing a hash: the
 * main thread carries on from the worker's last saved state.
 */
import { describe, expect, it } from "vitest";
import type { Hasher } from "../../src/core/digest/hasher";
import { browserWorkerHasherFactory, createBrowserWorkerHasherFactory } from "../../src/platform/browser/worker-hasher";

const KiB = 1024;
const MiB = 1024 * KiB;

function random(size: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536)
    crypto.getRandomValues(data.subarray(offset, Math.min(size, offset + 65536)));
  return data;
}

async function webCrypto(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function feed(hasher: Hasher, data: Uint8Array, piece: number): Promise<string> {
  for (let offset = 0; offset < data.byteLength; offset += piece)
    await hasher.update(data.subarray(offset, offset + piece));
  return hasher.digestHex();
}

/** Counts the workers a factory starts, all of them acrkit's own script. */
function counted(threshold: number) {
  const started: Worker[] = [];
  const factory = createBrowserWorkerHasherFactory({
    threshold,
    createWorker: () => {
      const worker = new Worker(new URL("../../src/platform/browser/browser-hash-worker.js", import.meta.url), {
        type: "module",
      });
      started.push(worker);
      return worker;
    },
  });
  return { factory, started };
}

/** A factory whose workers are made by `create`, and what they said: whether ready, how many batches they hashed. */
function watched(create: () => Worker, options: { stallMs?: number } = {}) {
  const seen = { ready: false, returned: 0, errors: 0 };
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const factory = createBrowserWorkerHasherFactory({
    threshold: 0,
    ...options,
    createWorker: () => {
      const worker = create();
      worker.addEventListener("error", () => seen.errors++);
      worker.addEventListener("message", (event: MessageEvent<{ type: string }>) => {
        if (event.data.type === "ready") {
          seen.ready = true;
          onReady();
        }
        if (event.data.type === "returned") seen.returned++;
      });
      return worker;
    },
  });
  return { factory, seen, ready };
}

describe("Web Worker hasher", () => {
  it("gives WebCrypto's SHA-256 for every size and chunking, on the worker once it is ready", async () => {
    const script = new URL("../../src/platform/browser/browser-hash-worker.js", import.meta.url);
    for (const size of [0, 1, 64, 65, 100_000, MiB, 5 * MiB + 3]) {
      const data = random(size);
      for (const piece of [4096 + 7, 64 * KiB, MiB, 3 * MiB]) {
        const { factory, ready } = watched(() => new Worker(script, { type: "module" }));
        const hasher = await factory("sha256");
        await hasher.update(data.subarray(0, piece));
        // The hash moves to the worker only once it has said it is ready: the rest of the input goes there.
        if (size > 0) await ready.then(() => new Promise((resolve) => setTimeout(resolve, 20)));
        for (let offset = piece; offset < size; offset += piece)
          await hasher.update(data.subarray(offset, offset + piece));
        const digest = hasher.digestHex();
        expect(digest instanceof Promise, `size ${size}, piece ${piece}: on the worker`).toBe(size > piece);
        expect(await digest, `size ${size}, piece ${piece}`).toBe(await webCrypto(data));
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
    const { factory, ready } = watched(
      () =>
        new Worker(new URL("../../src/platform/browser/browser-hash-worker.js", import.meta.url), { type: "module" }),
    );
    const hasher = await factory("sha256");
    const reused = new Uint8Array(MiB);
    const all = new Uint8Array(10 * MiB);
    for (let i = 0; i < 10; i++) {
      reused.set(random(MiB));
      all.set(reused, i * MiB);
      const pending = hasher.update(reused);
      reused.fill(0x5a);
      await pending;
      if (i === 0) await ready.then(() => new Promise((resolve) => setTimeout(resolve, 20)));
    }
    const digest = hasher.digestHex();
    expect(digest, "hashed on the worker").toBeInstanceOf(Promise);
    expect(await digest).toBe(await webCrypto(all));
    expect(reused.byteLength, "the caller's buffer was not transferred away").toBe(MiB);
  });

  /** Feeds `data` in 1 MiB pieces, pausing after the first for `pause` to settle (a worker's start, say). */
  async function feedAfter(hasher: Hasher, data: Uint8Array, pause: Promise<unknown>): Promise<string> {
    await hasher.update(data.subarray(0, MiB));
    await pause;
    for (let offset = MiB; offset < data.byteLength; offset += MiB)
      await hasher.update(data.subarray(offset, offset + MiB));
    return hasher.digestHex();
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

  it("hashes on the main thread when the worker script is missing (404)", async () => {
    const { factory, seen } = watched(
      () => new Worker(new URL("/no-such-worker.js", location.href), { type: "module" }),
    );
    const data = random(24 * MiB);
    expect(await feedAfter(await factory("sha256"), data, settle())).toBe(await webCrypto(data));
    expect(seen.ready).toBe(false);
    expect(seen.errors, "the 404 was an error event").toBeGreaterThan(0);
  });

  it("hashes on the main thread when the worker script throws as it loads", async () => {
    const { factory, seen } = watched(
      () => new Worker(new URL("./fixtures/hash-workers/throwing-hash-worker.js", import.meta.url), { type: "module" }),
    );
    const data = random(24 * MiB);
    expect(await feedAfter(await factory("sha256"), data, settle())).toBe(await webCrypto(data));
    expect(seen.ready).toBe(false);
    expect(seen.errors).toBeGreaterThan(0);
  });

  it.each([
    ["throws", "throw:6", {}],
    ["closes itself without a word", "close:6", { stallMs: 1000 }],
  ])("carries on from the worker's saved state when the worker %s mid-transfer", async (_, name, options) => {
    const dying = new URL("./fixtures/hash-workers/dying-hash-worker.js", import.meta.url);
    const { factory, seen, ready } = watched(() => new Worker(dying, { type: "module", name }), options);
    const data = random(40 * MiB);
    const hasher = await factory("sha256");
    // Past the ready message's other listeners (the hasher's among them) before feeding on.
    const readyHere = ready.then(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(await feedAfter(hasher, data, readyHere)).toBe(await webCrypto(data));
    // The hash had moved to the worker, which hashed some batches and died before the end.
    expect(seen.ready).toBe(true);
    expect(seen.returned).toBeGreaterThan(0);
    expect(seen.returned).toBeLessThan(40);
  });

  it("hashes on the main thread when the page's Content-Security-Policy forbids workers", async () => {
    // A frame of this origin with `worker-src 'none'`: its Worker constructor is bound by that policy.
    const frame = document.createElement("iframe");
    frame.srcdoc = `<meta http-equiv="Content-Security-Policy" content="worker-src 'none'">`;
    const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const violations: string[] = [];
    frame.contentDocument!.addEventListener("securitypolicyviolation", (event) =>
      violations.push(event.effectiveDirective),
    );
    try {
      const FrameWorker = (frame.contentWindow as unknown as { Worker: typeof Worker }).Worker;
      const script = new URL("../../src/platform/browser/browser-hash-worker.js", import.meta.url);
      const { factory, seen } = watched(() => new FrameWorker(script, { type: "module" }));
      const data = random(24 * MiB);
      expect(await feedAfter(await factory("sha256"), data, settle())).toBe(await webCrypto(data));
      expect(seen.ready).toBe(false);
      expect(violations, "the policy refused the worker").toContain("worker-src");
    } finally {
      frame.remove();
    }
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
