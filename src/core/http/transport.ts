/**
 * The one place acrkit talks HTTP: a ky instance per client with retries, timeouts, logging and error mapping.
 * @module
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from "ky";
import { NetworkError } from "../errors/network-error";
import type { Logger, RequestLogEntry } from "./logger";
import { redactUrl } from "./redact";
import { toRegistryError } from "./response-error";
import { RETRYABLE_STATUSES, toKyRetry, type RetryOptions } from "./retry-options";
import { isBrowserLike, userAgentHeader } from "./user-agent";

/** A fetch function: the platform's, or an in-process handler such as the emulator's. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Settings of a {@link Transport}. */
export interface TransportOptions {
  fetch?: FetchLike;
  retry?: RetryOptions;
  /** Per-attempt timeout until response headers arrive, in milliseconds, or false. Default 60 000. */
  timeout?: number | false;
  /** Appended to `acrkit/<version>` in the User-Agent header. */
  userAgent?: string;
  logger?: Logger;
}

/** One HTTP request as the transport sends it. */
export interface TransportRequest {
  method: string;
  url: URL;
  headers?: Headers;
  body?: BodyInit;
  signal?: AbortSignal;
  /** Whether the request may be sent again after a failure. */
  idempotent: boolean;
  redirect?: RequestRedirect;
  timeout?: number | false;
  /**
   * Whether the body is a stream of unbounded length (a blob): then only a stall ends it. Any other body must also
   * arrive whole within the timeout, so that a server trickling bytes cannot hold a small read forever.
   */
  stream?: boolean;
}

const RETRYABLE = new Set(RETRYABLE_STATUSES);

/**
 * Sends requests and returns every response whose status is final (including 4xx); retryable statuses are retried
 * and, when retries run out, become a RegistryError. A request with no response becomes a NetworkError, an abort
 * rejects with the signal's reason.
 */
export class Transport {
  readonly #ky: KyInstance;
  readonly #fetch: FetchLike;
  readonly #userAgent: string | undefined;
  readonly #retry: RetryOptions;
  readonly #timeout: number | false;

  constructor(options: TransportOptions = {}) {
    const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const userAgent = userAgentHeader(options.userAgent);
    this.#retry = options.retry ?? {};
    this.#timeout = options.timeout ?? 60_000;
    this.#fetch = options.logger ? loggingFetch(baseFetch, options.logger) : baseFetch;
    this.#userAgent = userAgent;
    this.#ky = ky.create({
      // ky always calls fetch with a Request, which is all a FetchLike must handle.
      fetch: this.#fetch as typeof globalThis.fetch,
      throwHttpErrors: (status) => RETRYABLE.has(status),
      headers: userAgent ? { "user-agent": userAgent } : undefined,
    }) as KyInstance;
  }

  /** Sends one request, with retries when it is idempotent. */
  async send(request: TransportRequest): Promise<Response> {
    const timeout = request.timeout ?? this.#timeout;
    let response: Response;
    try {
      response = request.idempotent
        ? await this.#ky(request.url, {
            method: request.method,
            // An explicit `headers: undefined` would drop the instance's User-Agent in ky 1.14.
            headers: request.headers ?? new Headers(),
            body: request.body,
            signal: request.signal,
            redirect: request.redirect ?? "follow",
            timeout,
            retry: toKyRetry(this.#retry, request.idempotent),
          })
        : await this.#sendOnce(request, timeout);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (error instanceof HTTPError) throw await toRegistryError(guardBody(error.response, request, timeout), request.method, request.url);
      if (error instanceof NetworkError) throw error;
      const url = redactUrl(request.url);
      if (error instanceof TimeoutError) throw new NetworkError("timeout", request.method, url, { cause: error });
      throw new NetworkError("connection", request.method, url, { cause: error });
    }
    const guarded = guardBody(response, request, timeout);
    // What ky's throwHttpErrors does for the requests that go through it.
    if (!request.idempotent && RETRYABLE.has(guarded.status)) throw await toRegistryError(guarded, request.method, request.url);
    return guarded;
  }

  /**
   * A request that is never retried (an upload chunk, a POST) goes to fetch directly. ky clones every request to
   * prepare a retry, and cloning tees the body: each upload chunk was copied once more and the copy kept alive with
   * the request, which cost about a tenth of the upload time and most of its memory (bench/README.md).
   */
  async #sendOnce(request: TransportRequest, timeout: number | false): Promise<Response> {
    const headers = new Headers(request.headers);
    if (this.#userAgent && !headers.has("user-agent")) headers.set("user-agent", this.#userAgent);
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener("abort", forwardAbort, { once: true });
    if (request.signal?.aborted) forwardAbort();
    let timedOut = false;
    // Like ky's timeout: it bounds the wait for the response headers; the body has its own watchdog.
    const timer = timeout === false ? undefined : setTimeout(() => ((timedOut = true), controller.abort()), timeout);
    const body = streamedBody(request.body);
    // The OCI spec asks for Content-Length on chunk uploads; a stream would otherwise go out chunked.
    if (body !== request.body && !headers.has("content-length")) headers.set("content-length", String((request.body as Uint8Array).byteLength));
    const init: RequestInit & { duplex?: "half" } = {
      method: request.method,
      headers,
      body,
      signal: controller.signal,
      redirect: request.redirect ?? "follow",
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    };
    try {
      return await this.#fetch(new Request(request.url, init));
    } catch (error) {
      if (timedOut) throw new NetworkError("timeout", request.method, redactUrl(request.url), { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", forwardAbort);
    }
  }
}

/**
 * Puts a watchdog on a response body: no bytes for `timeout` milliseconds (and, unless the request streams, the whole
 * body not in within `timeout`) errors the body with a NetworkError and releases the connection. The fetch timeout
 * ends when the headers arrive; without this a server that stops mid-body would hang the reader for ever.
 */
function guardBody(response: Response, request: TransportRequest, timeout: number | false): Response {
  if (timeout === false || !response.body || response.type === "opaqueredirect") return response;
  const source = response.body.getReader();
  const started = Date.now();
  const timedOut = () => new NetworkError("timeout", request.method, redactUrl(request.url));
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const wait = request.stream ? timeout : Math.min(timeout, timeout - (Date.now() - started));
        // One timer per read, no race of promises: this runs for every piece of a multi-GB download.
        const timer = setTimeout(() => {
          controller.error(timedOut());
          void source.cancel().catch(() => undefined);
        }, Math.max(0, wait));
        try {
          const result = await source.read();
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch (error) {
          // After a timeout the stream is already errored and this does nothing.
          controller.error(error);
        } finally {
          clearTimeout(timer);
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
  Object.defineProperty(guarded, "url", { value: response.url });
  return guarded;
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
      log({ ...entry, status: response.status, durationMs: Date.now() - started });
      return response;
    } catch (error) {
      log({ ...entry, status: 0, durationMs: Date.now() - started });
      throw error;
    }
  };
}

/** Bodies below this size go to fetch as they are: copying them costs nothing worth avoiding. */
const STREAMED_BODY_THRESHOLD = 256 * 1024;

/**
 * Hands a large byte body to fetch as a one-chunk stream, where the runtime allows streamed request bodies. Node's
 * fetch copies a Uint8Array body and keeps the copy until the request ends, so every upload chunk lived twice; a
 * stream's chunk is sent as it is. Browsers stream request bodies only over HTTP/2, so they keep the bytes.
 */
function streamedBody(body: BodyInit | undefined): BodyInit | undefined {
  if (!(body instanceof Uint8Array) || body.byteLength < STREAMED_BODY_THRESHOLD || isBrowserLike()) return body;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
}
