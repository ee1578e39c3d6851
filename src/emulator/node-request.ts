/**
 * IncomingMessage → Request, refusing what a Web Request cannot carry: a bad Host or target, a method fetch
 * forbids, a header it rejects. The refusal is an answer, never a throw, so one request cannot stop the server.
 * @module
 */
import type { IncomingMessage } from "node:http";
import { badRequest, methodNotImplemented } from "./errors";
import { RequestAbortedError } from "./request-aborted-error";

/** Headers that describe one hop of the connection, not the message; the Request must not carry them. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
]);

/** Methods a Web Request refuses to represent (the Fetch standard forbids them); no endpoint serves them anyway. */
const FETCH_FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/** `host [ ":" port ]` (RFC 9110 §7.2): an IP literal or a reg-name, then digits; URL parsing checks the rest. */
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d*)?$/;

/** How much request body may queue before the socket is paused. */
const BODY_HIGH_WATER_MARK = 1024 * 1024;

/** A request body stream plus a way to throw away what the handler did not read. */
export interface IncomingBody {
  stream: ReadableStream<Uint8Array>;
  discard(): void;
}

/** The converted request, or the answer to send instead when it cannot be converted. */
export type Conversion = { request: Request; body?: IncomingBody } | { refusal: Response };

function incomingBody(req: IncomingMessage): IncomingBody {
  let settled = false;
  let received = 0;
  const discard = () => {
    settled = true;
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          if (settled) return;
          received += chunk.byteLength;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (!settled) controller.close();
          settled = true;
        });
        // A client that disconnects mid-body errors the stream; the upload keeps what arrived.
        req.on("close", () => {
          if (!settled && !req.complete) controller.error(new RequestAbortedError(received));
          settled = true;
        });
      },
      pull() {
        req.resume();
      },
      cancel: discard,
    },
    { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
  return { stream, discard };
}

/**
 * The origin a request addresses: a valid `Host` (exactly one, and present in HTTP/1.1; RFC 9112 §3.2 requires
 * 400 otherwise), else the listener's own origin; undefined when the Host is malformed, repeated or missing.
 */
function originOf(req: IncomingMessage, protocol: string, fallback: string): string | undefined {
  const hosts: string[] = [];
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    if (req.rawHeaders[index]!.toLowerCase() === "host") hosts.push(req.rawHeaders[index + 1]!.trim());
  }
  if (hosts.length > 1 || (hosts.length === 0 && req.httpVersion !== "1.0")) return undefined;
  const host = hosts[0] ?? "";
  if (host === "") return fallback;
  if (!AUTHORITY.test(host)) return undefined;
  try {
    return new URL(`${protocol}//${host}`).origin;
  } catch {
    return undefined;
  }
}

/**
 * The URL of a request target (RFC 9112 §3.2): origin-form is appended to the origin as is (a path like `//x`
 * stays a path); absolute-form brings its own authority unless the listener is pinned, but never its scheme (the
 * connection decides that); anything else (asterisk-form, garbage) is undefined.
 */
function targetUrl(target: string, origin: string, pinned: boolean): URL | undefined {
  try {
    if (target.startsWith("/")) return new URL(`${origin}${target}`);
    const absolute = new URL(target);
    if ((absolute.protocol !== "http:" && absolute.protocol !== "https:") || absolute.host === "") return undefined;
    const authority = pinned ? origin : `${new URL(origin).protocol}//${absolute.host}`;
    return new URL(`${authority}${absolute.pathname}${absolute.search}`);
  } catch {
    return undefined;
  }
}

/** Where a listener's requests go: its own origin, and whether the request's Host may override it. */
export interface ListenerOrigin {
  /** The listener's origin, e.g. `https://127.0.0.1:41234`. */
  origin: string;
  /** True for the storage origin, whose URLs are signed for exactly one origin whatever the Host says. */
  pinned: boolean;
}

/** Converts a Node request into a Web Request, or into the 400/501 answer it deserves. */
export function toRequest(req: IncomingMessage, listener: ListenerOrigin): Conversion {
  const method = req.method ?? "GET";
  if (FETCH_FORBIDDEN_METHODS.has(method)) return { refusal: methodNotImplemented(method) };
  const protocol = new URL(listener.origin).protocol;
  const origin = listener.pinned ? listener.origin : originOf(req, protocol, listener.origin);
  if (origin === undefined) return { refusal: badRequest("the Host header is missing a valid value or repeated") };
  const url = targetUrl(req.url ?? "", origin, listener.pinned);
  if (!url) return { refusal: badRequest(`malformed request target "${req.url ?? ""}"`) };
  // Node's parser, on a request asking for a protocol upgrade, stops at a malformed chunk without reporting it,
  // so such a body could stall forever unanswered; no registry client sends one, so it is refused outright.
  if (req.headers.upgrade !== undefined && req.headers["transfer-encoding"] !== undefined) {
    return { refusal: badRequest("a request asking for a protocol upgrade may not carry a chunked body here") };
  }
  try {
    const headers = new Headers();
    for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
      const name = req.rawHeaders[index]!;
      if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, req.rawHeaders[index + 1]!);
    }
    // A body on GET or HEAD means nothing (RFC 9110 §9.3.1); Node drops it once the answer is sent.
    if (method === "GET" || method === "HEAD") return { request: new Request(url, { method, headers }) };
    const body = incomingBody(req);
    return { request: new Request(url, { method, headers, body: body.stream, duplex: "half" } as RequestInit), body };
  } catch (error) {
    return {
      refusal: badRequest(
        `the request cannot be represented: ${error instanceof Error ? error.message : String(error)}`,
      ),
    };
  }
}
