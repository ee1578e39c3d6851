/**
 * A fetch request body as node:http sends it: bytes in one write, or a stream written piece by piece as the
 * connection takes them.
 * @module
 */
import type { ClientRequest } from "node:http";
import type { BodyFacts } from "./request-headers";

/**
 * A request body ready to send: `text`, `bytes` or `stream`, and what fetch would put in Content-Length and
 * Content-Type. Text stays text: node:http writes it with the header block in one piece (one TLS record for a token
 * request's form), where bytes go as a second piece.
 */
export interface OutgoingBody extends BodyFacts {
  text?: string;
  bytes?: Uint8Array;
  stream?: ReadableStream<Uint8Array>;
}

/**
 * The body of every BodyInit form fetch takes. Bytes are sent as they are, not copied as fetch copies them: the
 * caller must leave them alone until the request ends (acrkit's layers never touch a body they handed over). A Blob
 * goes as a stream of known length, never read whole first; FormData as the multipart stream fetch would make.
 */
export function outgoingBody(body: BodyInit | null | undefined): OutgoingBody | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return textBody(body, "text/plain;charset=UTF-8");
  if (body instanceof Uint8Array) return bytesBody(body);
  if (ArrayBuffer.isView(body)) return bytesBody(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  if (body instanceof ArrayBuffer) return bytesBody(new Uint8Array(body));
  if (body instanceof ReadableStream) return { stream: body as ReadableStream<Uint8Array> };
  if (body instanceof Blob)
    return { stream: body.stream(), length: body.size, ...(body.type ? { type: body.type } : {}) };
  if (body instanceof URLSearchParams)
    return textBody(body.toString(), "application/x-www-form-urlencoded;charset=UTF-8");
  // FormData and anything else fetch accepts: as the Response constructor encodes it.
  const encoded = new Response(body);
  const type = encoded.headers.get("content-type");
  return { stream: encoded.body!, ...(type ? { type } : {}) };
}

function textBody(text: string, type: string): OutgoingBody {
  // Sent as UTF-8, as fetch encodes a string body; Content-Length counts its bytes.
  return { text, length: Buffer.byteLength(text, "utf8"), type };
}

function bytesBody(bytes: Uint8Array, type?: string): OutgoingBody {
  return { bytes, length: bytes.byteLength, ...(type ? { type } : {}) };
}

/**
 * Writes a stream body to the request, one piece at a time: the next piece is read only once the connection took the
 * last (backpressure), so an upload holds one piece in memory, not the whole body. A failure of either side ends
 * both: the request is destroyed with the stream's error, the stream cancelled with the connection's.
 */
export async function writeStream(stream: ReadableStream<Uint8Array>, request: ClientRequest): Promise<void> {
  const reader = stream.getReader();
  let ended = false;
  // A connection that closes while the next piece is awaited (the server answered early, an abort) cancels the
  // source at once, not when that piece comes.
  request.once("close", () => {
    if (!ended)
      void reader.cancel(new Error("the connection closed while the request body was sent")).catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError("a request body stream must give Uint8Array pieces");
      if (request.destroyed) throw new Error("the connection closed while the request body was sent");
      if (!request.write(value)) await drained(request);
    }
    ended = true;
    if (!request.destroyed) request.end();
  } catch (error) {
    ended = true;
    request.destroy(error as Error);
    await reader.cancel(error).catch(() => undefined);
  }
}

/** Resolves when the request can take more, rejects when its connection closes first. */
function drained(request: ClientRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      request.off("drain", onDrain);
      request.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error("the connection closed while the request body was sent"));
    request.on("drain", onDrain);
    request.on("close", onClose);
  });
}
