/**
 * A node:http response body as a web ReadableStream, with backpressure: the connection is paused while the reader is
 * behind, so a slow consumer of a multi-GB blob holds one queue of bytes, not the blob.
 * @module
 */
import type { Readable } from "node:stream";

/**
 * Bytes queued ahead of the reader before the connection is paused: a few reads' worth, enough to keep a fast reader
 * from waiting on the socket, too little to matter for memory.
 */
const QUEUED_BYTES = 128 * 1024;

/** Thrown into a body whose connection closed before the body was complete. */
export class BodyTerminatedError extends TypeError {
  override readonly name = "BodyTerminatedError";
  constructor(options?: ErrorOptions) {
    super("the response body ended before it was complete", options);
  }
}

/**
 * The stream of `source`'s bytes (the response, or its last decoder). A break of the connection or of the decoding
 * errors it with a {@link BodyTerminatedError}, an abort of `signal` with the signal's reason; `cancel()` and either
 * of those call `destroy`, which must close the connection (it cannot carry another request with a body half read).
 */
export function webBody(source: Readable, destroy: () => void, signal?: AbortSignal): ReadableStream<Uint8Array> {
  let settled = false;
  let onAbort: (() => void) | undefined;
  const settle = () => {
    settled = true;
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (error: unknown) => {
          if (settled) return;
          settle();
          controller.error(error);
          destroy();
        };
        source.on("data", (chunk: Buffer) => {
          if (settled) return;
          // A plain view, not the Buffer: Buffer's slice() shares memory where a Uint8Array's copies.
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if (controller.desiredSize! <= 0) source.pause();
        });
        source.on("end", () => {
          if (settled) return;
          settle();
          controller.close();
        });
        source.on("error", (error) => fail(new BodyTerminatedError({ cause: error })));
        source.on("close", () => fail(new BodyTerminatedError()));
        if (signal?.aborted) fail(signal.reason);
        else if (signal) {
          onAbort = () => fail(signal.reason);
          signal.addEventListener("abort", onAbort, { once: true });
        }
      },
      pull() {
        source.resume();
      },
      cancel() {
        if (settled) return;
        settle();
        destroy();
      },
    },
    { highWaterMark: QUEUED_BYTES, size: (chunk) => chunk.byteLength },
  );
}
