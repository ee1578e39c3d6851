/**
 * The fetch Response for a node:http response: status and status text, every header line appended in order (several
 * WWW-Authenticate or Link lines stay several values), the body decoded and streamed, `url` the one asked for.
 * @module
 */
import type { IncomingMessage } from "node:http";
import { pipeline, type Readable, type Transform } from "node:stream";
import { markWholeBody } from "../../../core/http/whole-body";
import { decodersFor } from "./decoding";
import { webBody, type BodyHooks, type WebBody } from "./response-body";

/**
 * Bodies up to this size that the parser finished with the headers (one read of the socket) go as bytes: no stream,
 * no watchdog, no listeners for a metadata answer of a few hundred bytes.
 */
const WHOLE_BODY_LIMIT = 256 * 1024;

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

/** A Response and, when it has one, its body's control. */
export interface Answer {
  response: Response;
  body?: WebBody;
}

/**
 * The Response for `incoming`, the answer to a `method` request of `url`. A HEAD or null-body answer has no body (its
 * connection goes back to the pool at once, and `settled` is the caller's to call). A small body that came whole with
 * its headers is handed over as bytes, marked so that the core does not guard it (whole-body.ts); any other is a
 * stream, and `onSettled` is called when it ends, fails or is cancelled.
 */
export function toResponse(incoming: IncomingMessage, method: string, url: URL, onSettled: () => void): Answer {
  const status = incoming.statusCode ?? 0;
  if (status < 200 || status > 599) throw new UnrepresentableStatusError(status);
  const raw = incoming.rawHeaders;
  let body: WebBody | undefined;
  let bytes: Uint8Array | null = null;
  if (method === "HEAD" || NULL_BODY_STATUSES.has(status)) incoming.resume();
  else {
    const decoders = decodersFor(contentEncoding(raw));
    if (decoders.length === 0 && incoming.complete && incoming.readableLength <= WHOLE_BODY_LIMIT) {
      bytes = (incoming.read() as Buffer | null) ?? new Uint8Array(0);
      // Emits 'end', which gives the connection back to the pool.
      incoming.resume();
    } else body = bodyOf(incoming, decoders, onSettled);
  }
  const response = new Response(body?.stream ?? (bytes as Uint8Array<ArrayBuffer> | null), {
    status,
    statusText: incoming.statusMessage ?? "",
  });
  // Appended to the Response's own headers: a Headers handed to the constructor would be copied.
  for (let index = 0; index < raw.length; index += 2) response.headers.append(raw[index]!, raw[index + 1]!);
  Object.defineProperty(response, "url", { value: url.href });
  if (bytes) markWholeBody(response);
  return body ? { response, body } : { response };
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

/** The decoded body; closing it early closes the connection. */
function bodyOf(incoming: IncomingMessage, decoders: Transform[], settled: () => void): WebBody {
  if (decoders.length === 0) return webBody(incoming, { destroy: () => incoming.destroy(), settled });
  // pipeline ends every stage when one fails, and the failure reaches the last stage, which the body reads.
  const last = decoders[decoders.length - 1]!;
  pipeline([incoming, ...decoders] as [Readable, ...NodeJS.ReadWriteStream[]], () => undefined);
  const hooks: BodyHooks = { destroy: () => (incoming.destroy(), last.destroy()), settled };
  return webBody(last, hooks);
}
