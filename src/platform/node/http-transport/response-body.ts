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

/** What the body's owner does when the body ends, and how it ends the connection. */
export interface BodyHooks {
  /** Closes the connection: it cannot carry another request with a body half read. */
  destroy(): void;
  /** Called once, when the body is complete, failed or cancelled. */
  settled(): void;
}

/** A response body and the way to fail it from outside (an abort). */
export interface WebBody {
  stream: ReadableStream<Uint8Array>;
  /** Errors the stream with `reason` and closes the connection, unless the body already ended. */
  fail(reason: unknown): void;
}

/**
 * The stream of `source`'s bytes (the response, or its last decoder). A break of the connection or of the decoding
 * errors it with a {@link BodyTerminatedError}; `cancel()` and a failure close the connection.
 */
export function webBody(source: Readable, hooks: BodyHooks): WebBody {
  let settled = false;
  let fail: (reason: unknown) => void = () => undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        fail = (reason) => {
          if (settled) return;
          settled = true;
          controller.error(reason);
          hooks.destroy();
          hooks.settled();
        };
        source.on("data", (chunk: Buffer) => {
          if (settled) return;
          // A plain view, not the Buffer: Buffer's slice() shares memory where a Uint8Array's copies.
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if (controller.desiredSize! <= 0) source.pause();
        });
        source.on("end", () => {
          if (settled) return;
          settled = true;
          controller.close();
          hooks.settled();
        });
        // Errors are made only when they are thrown: a stack trace costs more than the rest of a small response.
        source.on("error", (error) => settled || fail(new BodyTerminatedError({ cause: error })));
        source.on("close", () => settled || fail(new BodyTerminatedError()));
      },
      pull() {
        source.resume();
      },
      cancel() {
        if (settled) return;
        settled = true;
        hooks.destroy();
        hooks.settled();
      },
    },
    { highWaterMark: QUEUED_BYTES, size: (chunk) => chunk.byteLength },
  );
  return { stream, fail: (reason) => fail(reason) };
}
