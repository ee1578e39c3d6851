/**
 * The fetch Response for a node:http response: status and status text, every header line appended in order (several
 * WWW-Authenticate or Link lines stay several values), the body decoded and streamed, `url` the one asked for.
 * @module
 */
import type { IncomingMessage } from "node:http";
import { pipeline, type Readable } from "node:stream";
import { decodersFor } from "./decoding";
import { webBody } from "./response-body";

/** Statuses whose responses have no body (Fetch standard: "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Thrown for a status line fetch could not represent (a Response takes 200 to 599; 1xx never reach here). */
export class UnrepresentableStatusError extends TypeError {
  override readonly name = "UnrepresentableStatusError";
  /** @param status - the status code the server sent */
  constructor(readonly status: number) {
    super(`the server answered with status ${status}, outside 200-599`);
  }
}

/**
 * The Response for `incoming`, the answer to a `method` request of `url`. A HEAD or null-body answer has no body
 * (and its connection goes back to the pool at once); any other body is a stream that `signal` aborts.
 */
export function toResponse(incoming: IncomingMessage, method: string, url: URL, signal?: AbortSignal): Response {
  const status = incoming.statusCode ?? 0;
  if (status < 200 || status > 599) throw new UnrepresentableStatusError(status);
  const raw = incoming.rawHeaders;
  let body: ReadableStream<Uint8Array> | null = null;
  if (method === "HEAD" || NULL_BODY_STATUSES.has(status)) incoming.resume();
  else body = bodyOf(incoming, contentEncoding(raw), signal);
  const response = new Response(body, { status, statusText: incoming.statusMessage ?? "" });
  // Appended to the Response's own headers: a Headers handed to the constructor would be copied.
  for (let index = 0; index < raw.length; index += 2) response.headers.append(raw[index]!, raw[index + 1]!);
  Object.defineProperty(response, "url", { value: url.href });
  return response;
}

/** Every Content-Encoding line of the raw headers, joined as Headers joins them; null when there is none. */
function contentEncoding(raw: string[]): string | null {
  let value: string | null = null;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.length === 16 && name.toLowerCase() === "content-encoding")
      value = value === null ? raw[index + 1]! : `${value}, ${raw[index + 1]!}`;
  }
  return value;
}

/** The decoded body stream; closing it early closes the connection. */
function bodyOf(incoming: IncomingMessage, encoding: string | null, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const decoders = decodersFor(encoding);
  const destroy = () => incoming.destroy();
  if (decoders.length === 0) return webBody(incoming, destroy, signal);
  // pipeline ends every stage when one fails, and the failure reaches the last stage, which the body reads.
  const last = decoders[decoders.length - 1]!;
  pipeline([incoming, ...decoders] as [Readable, ...NodeJS.ReadWriteStream[]], () => undefined);
  return webBody(last, () => (destroy(), last.destroy()), signal);
}
