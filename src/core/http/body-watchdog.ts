/**
 * The stall watchdog on a response body: the transport's timeout applies to every read of the body as it does to the
 * headers, and each runtime's failures to read become one NetworkError.
 * @module
 */
import { NetworkError } from "../errors/network-error";
import { redactUrl } from "../redaction/redact";
import { hasWholeBody } from "./whole-body";

/** What the watchdog needs of the request a response answers. */
export interface GuardedRequest {
  method: string;
  url: URL;
  signal?: AbortSignal;
  /** A stream of unbounded length (a blob): only a stall ends it, not its total time. */
  stream?: boolean;
}

/**
 * Puts the transport's rules on a response body: no bytes for `timeout` milliseconds (and, unless the request streams,
 * the whole body not in within `timeout`) errors it with a NetworkError "timeout"; a broken connection errors it with a
 * NetworkError "connection"; an abort errors it with the signal's reason. Without the watchdog a server that stops
 * mid-body would hang the reader for ever; without the mapping every reader would see each runtime's own failures.
 */
export function guardBody(response: Response, request: GuardedRequest, timeout: number | false): Response {
  // A 204 or 304 has no body to guard (Chromium still hands out an empty stream for one, which no Response takes),
  // nor has a body the platform's fetch already holds whole (whole-body.ts).
  if (
    hasWholeBody(response) ||
    !response.body ||
    response.type === "opaqueredirect" ||
    NULL_BODY_STATUSES.has(response.status)
  )
    return response;
  const source = response.body.getReader();
  const started = Date.now();
  const failure = (reason: "timeout" | "connection", cause?: unknown) =>
    request.signal?.aborted
      ? request.signal.reason
      : new NetworkError(reason, request.method, redactUrl(request.url), { cause });
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const wait = timeout === false ? undefined : request.stream ? timeout : timeout - (Date.now() - started);
        // One timer per read, no race of promises: this runs for every piece of a multi-GB download.
        const timer =
          wait === undefined
            ? undefined
            : setTimeout(
                () => {
                  controller.error(failure("timeout"));
                  void source.cancel().catch(() => undefined);
                },
                Math.max(0, wait),
              );
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
  const guarded = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(guarded, "url", { value: response.url || request.url.href });
  return guarded;
}

/** Statuses whose responses have no body (Fetch standard: "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
