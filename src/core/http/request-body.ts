/**
 * How a request body goes to fetch: a large byte body as a stream (no second copy), a streamed body with a hook on
 * each piece the sender asks for (so that the transport's timeout bounds stalls, not the whole upload).
 * @module
 */
import { isBrowserLike } from "./user-agent";

/** Bodies below this size go to fetch as they are: copying them costs nothing worth avoiding. */
const STREAMED_BODY_THRESHOLD = 256 * 1024;

/**
 * The body and body-related init of a request as fetch gets it; sets `content-length` on `headers` for a byte body:
 * one that goes as a stream, or one a wrapped fetch receives inside a Request, would otherwise go out chunked, and the
 * OCI spec asks for it on uploads (Nexus refuses a manifest without it: registry-quirks row 48).
 */
export function requestBodyInit(body: BodyInit, headers: Headers): { body: BodyInit; duplex?: "half" } {
  const streamed = streamedBody(body);
  if (body instanceof Uint8Array) headers.set("content-length", String(body.byteLength));
  return { body: streamed, ...(streamed instanceof ReadableStream ? { duplex: "half" as const } : {}) };
}

/**
 * Hands a large byte body to fetch as a one-chunk stream, where the runtime allows streamed request bodies. Node's
 * fetch copies a Uint8Array body and keeps the copy until the request ends, so every upload chunk lived twice; a
 * stream's chunk is sent as it is. Browsers stream request bodies only over HTTP/2, so they keep the bytes.
 */
function streamedBody(body: BodyInit): BodyInit {
  if (!(body instanceof Uint8Array) || body.byteLength < STREAMED_BODY_THRESHOLD || isBrowserLike()) return body;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
}

/** Passes a request body through, calling `onPull` each time the sender asks for more. */
export function rearmingStream(source: ReadableStream<Uint8Array>, onPull: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        onPull();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
