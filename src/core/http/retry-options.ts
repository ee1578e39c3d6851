/**
 * How failed requests are retried, and the translation of that policy into ky's options.
 * @module
 */
import { HTTPError, type RetryOptions as KyRetryOptions } from "ky";

/** Retry policy of a client. Only idempotent requests are retried. */
export interface RetryOptions {
  /** How many times a request is retried after its first attempt. Default 3. */
  limit?: number;
  /** The longest wait between two attempts, in milliseconds. Default 30 000. */
  backoffLimitMs?: number;
  /** A `Retry-After` longer than this (milliseconds) fails the request instead of waiting. Default 60 000. */
  maxRetryAfterMs?: number;
  /**
   * The longest time one request may spend in attempts and waits, in milliseconds: no retry starts, and no wait is
   * begun, that would end after it. Default 120 000.
   */
  maxElapsedMs?: number;
}

/** Statuses worth another attempt: timeouts, throttling and transient server failures. */
export const RETRYABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** Statuses whose `Retry-After` is honoured. */
const RETRY_AFTER_STATUSES = [429, 503];

const ALL_METHODS: KyRetryOptions["methods"] = ["get", "put", "head", "delete", "options", "trace", "patch", "post"];

/**
 * Builds ky's retry options for one request that started at `started` (milliseconds since the epoch).
 *
 * ky alone would wait `maxRetryAfter` when a server asks for longer, and has no bound on the total time; both are
 * decided here in `shouldRetry`, which ky consults before every retry.
 */
export function toKyRetry(options: RetryOptions, idempotent: boolean, started = Date.now()): KyRetryOptions {
  const maxElapsed = options.maxElapsedMs ?? 120_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const remaining = () => maxElapsed - (Date.now() - started);
  return {
    limit: idempotent ? (options.limit ?? 3) : 0,
    methods: idempotent ? ALL_METHODS : [],
    statusCodes: [...RETRYABLE_STATUSES],
    afterStatusCodes: RETRY_AFTER_STATUSES,
    maxRetryAfter,
    backoffLimit: options.backoffLimitMs ?? 30_000,
    // Half of the exponential delay is kept so backoff still grows; the other half is random to spread retries.
    // A wait never runs past the total bound: the last attempt gets the time that is left.
    jitter: (delay: number) => Math.max(0, Math.min(delay / 2 + Math.random() * (delay / 2), remaining())),
    retryOnTimeout: idempotent,
    shouldRetry: ({ error }) => {
      if (remaining() <= 0) return false;
      if (error instanceof HTTPError && RETRY_AFTER_STATUSES.includes(error.response.status)) {
        const header = error.response.headers.get("retry-after");
        const after = parseRetryAfter(header);
        // Waiting longer than allowed, or past the total bound, only to fail later helps nobody.
        if (after !== undefined && (after > maxRetryAfter || after > remaining())) return false;
        // ky would wait the whole maxRetryAfter for a value it cannot read; ordinary backoff is the sane answer.
        if (after === undefined && header !== null) return true;
      }
      return undefined;
    },
  };
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns milliseconds to wait (0 for a date
 * in the past), or undefined when the value is neither.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined;
  }
  // An HTTP date always names a weekday; refusing anything else keeps Date.parse's leniency out.
  if (!/^[A-Za-z]{3},/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
