/**
 * One HTTP attempt on fetch, with acrkit's User-Agent, a timeout until the response headers, a stall watchdog on the
 * body, and every failure to get or read an answer turned into a NetworkError (or the abort signal's reason). No
 * retries and no redirects here: the requester decides those for every request alike.
 * @module
 */
import { NetworkError } from "../errors/network-error";
import type { Logger, RequestLogEntry } from "./logger";
import { redactText, redactUrl } from "./redact";
import { isBrowserLike, userAgentHeader } from "./user-agent";
import type { WarningHandler } from "./warning";

/** A fetch function: the platform's, or an in-process handler such as the emulator's. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Settings of a {@link Transport}. */
export interface TransportOptions {
  fetch?: FetchLike;
  /** Time to response headers, and the longest pause between two reads of a body, in milliseconds, or false. */
  timeout?: number | false;
  /** Appended to `acrkit/<version>` in the User-Agent header. */
  userAgent?: string;
  logger?: Logger;
  /** Receives the OCI `Warning`s of responses; the parser is loaded only by transports that have one. */
  onWarning?: WarningHandler;
}

/** One HTTP attempt as the transport sends it. */
export interface TransportRequest {
  method: string;
  url: URL;
  headers?: Headers;
  body?: BodyInit;
  signal?: AbortSignal;
  /** `manual` (the default) returns redirects to the caller; `follow` lets the platform follow them (browsers). */
  redirect?: RequestRedirect;
  timeout?: number | false;
  /**
   * Whether the body is a stream of unbounded length (a blob): then only a stall ends it. Any other body must also
   * arrive whole within the timeout, so that a server trickling bytes cannot hold a small read forever.
   */
  stream?: boolean;
}

/** Sends single HTTP attempts. */
export class Transport {
  readonly #fetch: FetchLike;
  readonly #userAgent: string | undefined;
  readonly #timeout: number | false;

  constructor(options: TransportOptions = {}) {
    const platformFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    // Every response passes here, so this is where OCI Warning headers are read.
    const baseFetch = options.onWarning ? warningFetch(platformFetch, options.onWarning) : platformFetch;
    this.#userAgent = userAgentHeader(options.userAgent);
    this.#timeout = options.timeout ?? 60_000;
    this.#fetch = options.logger ? loggingFetch(baseFetch, options.logger) : baseFetch;
  }

  /**
   * Sends one attempt and returns its response, whatever its status; no response at all is a NetworkError, an abort
   * rejects with the signal's reason. The body of the response errors the same way when it breaks off or stalls.
   */
  async send(request: TransportRequest): Promise<Response> {
    const timeout = request.timeout ?? this.#timeout;
    const timer = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, timer.signal]) : timer.signal;
    // Bounds the wait for the response headers; the response body has its own watchdog. A streamed request body
    // restarts the clock with every piece it hands over: sending it may take any time, stalling it may not.
    let handle: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(handle);
      if (timeout !== false) handle = setTimeout(() => timer.abort(), timeout);
    };
    arm();
    const body = request.body instanceof ReadableStream ? rearmingStream(request.body, arm) : request.body;
    let response: Response;
    try {
      response = await this.#fetch(new Request(request.url, { ...this.#init(request, body), signal, redirect: request.redirect ?? "manual" }));
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw new NetworkError(timer.signal.aborted ? "timeout" : "connection", request.method, redactUrl(request.url), { cause: error });
    } finally {
      clearTimeout(handle);
    }
    return guardBody(response, request, timeout);
  }

  /** Method, headers (with the User-Agent) and body of the request; large byte bodies go as streams. */
  #init(request: TransportRequest, body: BodyInit | undefined): RequestInit & { duplex?: "half" } {
    const headers = new Headers(request.headers);
    if (this.#userAgent && !headers.has("user-agent")) headers.set("user-agent", this.#userAgent);
    if (body === undefined) return { method: request.method, headers };
    const streamed = streamedBody(body);
    // The OCI spec asks for Content-Length on chunk uploads; a stream would otherwise go out chunked.
    if (streamed !== body && !headers.has("content-length")) headers.set("content-length", String((body as Uint8Array).byteLength));
    return { method: request.method, headers, body: streamed, ...(streamed instanceof ReadableStream ? { duplex: "half" } : {}) };
  }
}

/**
 * Puts the transport's rules on a response body: no bytes for `timeout` milliseconds (and, unless the request streams,
 * the whole body not in within `timeout`) errors it with a NetworkError "timeout"; a broken connection errors it with a
 * NetworkError "connection"; an abort errors it with the signal's reason. Without the watchdog a server that stops
 * mid-body would hang the reader for ever; without the mapping every reader would see each runtime's own failures.
 */
function guardBody(response: Response, request: TransportRequest, timeout: number | false): Response {
  // A 204 or 304 has no body to guard (Chromium still hands out an empty stream for one, which no Response takes).
  if (!response.body || response.type === "opaqueredirect" || NULL_BODY_STATUSES.has(response.status)) return response;
  const source = response.body.getReader();
  const started = Date.now();
  const failure = (reason: "timeout" | "connection", cause?: unknown) =>
    request.signal?.aborted ? request.signal.reason : new NetworkError(reason, request.method, redactUrl(request.url), { cause });
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const wait = timeout === false ? undefined : request.stream ? timeout : timeout - (Date.now() - started);
        // One timer per read, no race of promises: this runs for every piece of a multi-GB download.
        const timer =
          wait === undefined
            ? undefined
            : setTimeout(() => {
                controller.error(failure("timeout"));
                void source.cancel().catch(() => undefined);
              }, Math.max(0, wait));
        // The abort ends a pending read itself: on Node 20 the signal handed to fetch (an AbortSignal.any) sometimes
        // left a stalled body read waiting out the stall (test/node/faults/retries-and-cancellation.test.ts, "an
        // aborted metadata call and an aborted download body").
        const onAbort = () => {
          controller.error(request.signal?.reason);
          void source.cancel().catch(() => undefined);
        };
        request.signal?.addEventListener("abort", onAbort, { once: true });
        try {
          const result = await source.read();
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch (error) {
          // After a timeout or an abort the stream is already errored and this does nothing.
          controller.error(failure("connection", error));
        } finally {
          clearTimeout(timer);
          request.signal?.removeEventListener("abort", onAbort);
        }
      },
      cancel(reason) {
        return source.cancel(reason);
      },
    },
    // Nothing is read ahead of the consumer, so a consumer that pauses is not mistaken for a stalled server.
    { highWaterMark: 0 },
  );
  const guarded = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(guarded, "url", { value: response.url || request.url.href });
  return guarded;
}

/** Passes a request body through, calling `onPull` each time the sender asks for more. */
function rearmingStream(source: ReadableStream<Uint8Array>, onPull: () => void): ReadableStream<Uint8Array> {
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


/** A fetch that hands OCI Warning headers to `handler`; the parser is loaded only by clients that ask for warnings. */
function warningFetch(fetch: FetchLike, handler: WarningHandler): FetchLike {
  const reporting = import("./warning").then((warning) => warning.reportingWarnings(fetch, handler));
  return async (input, init) => (await reporting)(input, init);
}

function loggingFetch(baseFetch: FetchLike, logger: Logger): FetchLike {
  // A logger that throws must not turn a good request into a failed one.
  const log = (entry: RequestLogEntry) => {
    try {
      logger(entry);
    } catch {
      // ignored on purpose
    }
  };
  return async (input, init) => {
    const started = Date.now();
    const entry = { method: input.method, url: redactUrl(input.url) };
    try {
      const response = await baseFetch(input, init);
      const warning = response.headers.get("warning");
      log({ ...entry, status: response.status, durationMs: Date.now() - started, ...(warning ? { warnings: [redactText(warning)] } : {}) });
      return response;
    } catch (error) {
      log({ ...entry, status: 0, durationMs: Date.now() - started });
      throw error;
    }
  };
}

/** Statuses whose responses have no body (Fetch standard: "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Bodies below this size go to fetch as they are: copying them costs nothing worth avoiding. */
const STREAMED_BODY_THRESHOLD = 256 * 1024;

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
