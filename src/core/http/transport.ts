/**
 * One HTTP attempt on fetch, with acrkit's User-Agent, a timeout until the response headers, a stall watchdog on the
 * body (body-watchdog.ts), and every failure to get or read an answer turned into a NetworkError (or the abort
 * signal's reason). No retries and no redirects here: the requester decides those for every request alike. The
 * fetch it sends on is the platform's wrapped, one concern a file: warning-fetch.ts, then logging-fetch.ts. No answer
 * comes from a browser's HTTP cache (no-store.ts).
 * @module
 */
import { NetworkError } from "../errors/network-error";
import { redactUrl } from "../redaction/redact";
import { guardBody } from "./body-watchdog";
import { installedFetch, type PlatformFetch } from "./default-fetch";
import type { FetchLike } from "./fetch-like";
import type { Logger } from "./logger";
import { lazyFetch } from "./lazy-fetch";
import { noStoreInit } from "./no-store";
import { rearmingStream, requestBodyInit } from "./request-body";
import { userAgentHeader } from "./user-agent";
import type { WarningHandler } from "./warning";

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
  /**
   * The platform's fetch when attempts go to it unwrapped: then no Request is built for them (bench/README, "The
   * metadata path").
   */
  readonly #direct: PlatformFetch | undefined;
  readonly #userAgent: string | undefined;
  readonly #timeout: number | false;

  constructor(options: TransportOptions = {}) {
    const platform: PlatformFetch = installedFetch() ?? ((input, init) => globalThis.fetch(input, init));
    const platformFetch: FetchLike = options.fetch ?? platform;
    // Every response passes here, so this is where OCI Warning headers are read.
    const { logger, onWarning } = options;
    const baseFetch = onWarning
      ? lazyFetch(import("./warning").then((warning) => warning.reportingWarnings(platformFetch, onWarning)))
      : platformFetch;
    this.#userAgent = userAgentHeader(options.userAgent);
    this.#timeout = options.timeout ?? 60_000;
    this.#fetch = logger
      ? lazyFetch(import("./logging-fetch").then((logging) => logging.loggingFetch(baseFetch, logger)))
      : baseFetch;
    this.#direct = !options.fetch && !options.onWarning && !options.logger ? platform : undefined;
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
      const init: RequestInit = {
        ...this.#init(request, body),
        ...noStoreInit(),
        signal,
        redirect: request.redirect ?? "manual",
      };
      // A Request costs as much again as fetch builds its own from it; only a wrapper or a caller's fetch reads one.
      response = await (this.#direct ? this.#direct(request.url, init) : this.#fetch(new Request(request.url, init)));
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw new NetworkError(timer.signal.aborted ? "timeout" : "connection", request.method, redactUrl(request.url), {
        cause: error,
      });
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
    return { method: request.method, headers, ...requestBodyInit(body, headers) };
  }
}
