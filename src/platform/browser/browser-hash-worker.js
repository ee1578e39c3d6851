// @ts-check
/**
 * The Web Worker side of acrkit/browser's worker hasher: hash-wasm on a thread of its own, fed buffers that it
 * hands back for reuse, each with the hash's saved state so that the page can carry on should this worker fail.
 * The messages are those of src/core/digest/hash-worker-protocol.ts.
 *
 * Plain JavaScript, so that the same file name serves the sources (Vite resolves its import) and dist/, where the
 * build bundles hash-wasm into it; bundlers find it through `new Worker(new URL("./browser-hash-worker.js",
 * import.meta.url))` in worker-hasher.ts.
 * @module
 */
import { createSHA256, createSHA512 } from "hash-wasm";

/** @type {import("hash-wasm").IHasher | undefined} */
let hasher;
// hash-wasm starts asynchronously: messages are handled strictly one after the other.
let queue = Promise.resolve();

/** @param {{ type: string; algorithm?: string; buffer?: ArrayBuffer; offset?: number; length?: number }} message */
async function handle(message) {
  if (message.type === "start") {
    if (message.algorithm !== "sha256" && message.algorithm !== "sha512")
      throw new Error(`unsupported algorithm ${String(message.algorithm)}`);
    hasher = await (message.algorithm === "sha256" ? createSHA256() : createSHA512());
    hasher.init();
  } else if (message.type === "bytes") {
    if (!hasher || !message.buffer) throw new Error("bytes before start");
    hasher.update(new Uint8Array(message.buffer, message.offset, message.length));
    postMessage({ type: "returned", buffer: message.buffer, length: message.length, state: hasher.save() }, [
      message.buffer,
    ]);
  } else if (message.type === "finish") {
    if (!hasher) throw new Error("finish before start");
    postMessage({ type: "digest", hex: hasher.digest("hex") });
  } else {
    throw new Error(`unknown message ${String(message.type)}`);
  }
}

addEventListener("message", (event) => {
  const message = /** @type {MessageEvent} */ (event).data;
  queue = queue
    .then(() => handle(message))
    .catch((error) => {
      postMessage({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    });
});

// Ready once hash-wasm's WebAssembly compiles here (a policy may forbid it): until then the page hashes by itself.
queue = queue
  .then(async () => {
    await createSHA256();
    postMessage({ type: "ready", resumable: true });
  })
  .catch((error) => postMessage({ type: "failed", message: error instanceof Error ? error.message : String(error) }));
