/**
 * The offloading hasher's hand-over when its worker is slow to start: a fast transfer that has run past the copies it
 * may keep waits (once) for the worker instead of hashing the whole rest on its own thread. The worker here is an
 * in-process stand-in (the protocol of hash-worker-protocol.ts over node:crypto) whose "ready" comes late: real
 * workers are tested in test/node/platform/node/worker-hasher.test.ts.
 */
import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import type { FromHashWorker, HashWorkerPort, ToHashWorker } from "../../../../src/core/digest/hash-worker-protocol";
import { offloadingHasherFactory } from "../../../../src/core/digest/offloaded-hasher";
import { nativeHasherFactory } from "../../../../src/platform/node/native-hasher";

const MIB = 1024 * 1024;

/** A worker stand-in that says "ready" after `readyAfterMs` (never, when undefined) and counts the bytes it hashed. */
function lateWorker(readyAfterMs: number | undefined) {
  const hashed = { bytes: 0 };
  const port: HashWorkerPort = {
    post: () => undefined,
    listen: () => undefined,
    hold: () => undefined,
    terminate: () => undefined,
  };
  let hash = createHash("sha256");
  let send: (message: FromHashWorker) => void = () => undefined;
  port.listen = (onMessage) => {
    send = (message) => queueMicrotask(() => onMessage(message));
    if (readyAfterMs !== undefined) setTimeout(() => send({ type: "ready", resumable: false }), readyAfterMs);
  };
  port.post = (message: ToHashWorker) => {
    if (message.type === "start") hash = createHash(message.algorithm);
    else if (message.type === "bytes") {
      hash.update(new Uint8Array(message.buffer, message.offset, message.length));
      hashed.bytes += message.length;
      send({ type: "returned", buffer: message.buffer, length: message.length });
    } else send({ type: "digest", hex: hash.digest("hex") });
  };
  return { port, hashed };
}

/**
 * Feeds `total` bytes in 64 KiB pieces, as a fast connection hands them over, awaiting each update; the piece's buffer
 * is overwritten as soon as `update` returns, before its promise settles (the seam's contract: `update` has taken
 * its bytes by then, and the promise is only backpressure).
 */
async function hashFast(readyAfterMs: number | undefined, total: number) {
  const worker = lateWorker(readyAfterMs);
  const factory = offloadingHasherFactory({
    threshold: 8 * MIB,
    local: nativeHasherFactory,
    startWorker: () => worker.port,
  });
  const hasher = await factory("sha256");
  const expected = createHash("sha256");
  const piece = new Uint8Array(64 * 1024);
  for (let fed = 0, n = 0; fed < total; fed += piece.byteLength, n++) {
    piece.fill(n % 251);
    expected.update(piece);
    const taken = hasher.update(piece);
    piece.fill(255);
    await taken;
  }
  return { hex: await hasher.digestHex(), expected: expected.digest("hex"), hashed: worker.hashed.bytes };
}

test("a worker ready only after the copies' bound still takes the hash over: the transfer waits for it once", async () => {
  const result = await hashFast(150, 48 * MIB);
  expect(result.hex).toBe(result.expected);
  // Everything went to the worker: the copies of the local phase, then every later piece.
  expect(result.hashed).toBe(48 * MIB);
});

test("a worker that never gets ready leaves the hash local after the one wait, and the digest is right", async () => {
  const result = await hashFast(undefined, 24 * MIB);
  expect(result.hex).toBe(result.expected);
  expect(result.hashed).toBe(0);
});
