// @ts-check
/**
 * The worker_threads side of acrkit/node's worker hasher: node:crypto on a thread of its own, fed transferred
 * buffers that it hands back for reuse. The messages are those of src/core/digest/hash-worker-protocol.ts.
 *
 * Plain JavaScript, so that the same file runs from the sources (tsx, vitest) and, copied by the build, next to
 * the bundles in dist/: Node cannot start a TypeScript worker without a loader.
 * @module
 */
import { createHash } from "node:crypto";
import { parentPort } from "node:worker_threads";

/** @type {import("node:crypto").Hash | undefined} */
let hash;
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);

port.on("message", (message) => {
  try {
    if (message.type === "start") {
      hash = createHash(message.algorithm);
    } else if (message.type === "bytes") {
      if (!hash) throw new Error("bytes before start");
      hash.update(new Uint8Array(message.buffer, message.offset, message.length));
      port.postMessage({ type: "returned", buffer: message.buffer, length: message.length }, [message.buffer]);
    } else if (message.type === "finish") {
      if (!hash) throw new Error("finish before start");
      port.postMessage({ type: "digest", hex: hash.digest("hex") });
    } else {
      throw new Error(`unknown message ${String(message.type)}`);
    }
  } catch (error) {
    port.postMessage({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  }
});

// The first message: the hasher keeps hashing on its own thread until it comes. node:crypto's state cannot be saved,
// so this worker is not resumable: a failure after the hand-over fails the hash (a HashingError).
port.postMessage({ type: "ready", resumable: false });
