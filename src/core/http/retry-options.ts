/**
 * How failed requests are retried, and the translation of that policy into ky's options.
 * @module
 */
import type { RetryOptions as KyRetryOptions } from "ky";

/** Retry policy of a client. Only idempotent requests are retried. */
export interface RetryOptions {
  /** How many times a request is retried after its first attempt. Default 3. */
  limit?: number;
  /** The longest wait between two attempts, in milliseconds. Default 30 000. */
  backoffLimitMs?: number;
  /** A `Retry-After` longer than this (milliseconds) fails the request instead of waiting. Default 60 000. */
  maxRetryAfterMs?: number;
}

/** Statuses worth another attempt: timeouts, throttling and transient server failures. */
export const RETRYABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

const ALL_METHODS: KyRetryOptions["methods"] = ["get", "put", "head", "delete", "options", "trace", "patch", "post"];

/** Builds ky's retry options for one request. */
export function toKyRetry(options: RetryOptions, idempotent: boolean): KyRetryOptions {
  return {
    limit: idempotent ? (options.limit ?? 3) : 0,
    methods: idempotent ? ALL_METHODS : [],
    statusCodes: [...RETRYABLE_STATUSES],
    afterStatusCodes: [429, 503],
    maxRetryAfter: options.maxRetryAfterMs ?? 60_000,
    backoffLimit: options.backoffLimitMs ?? 30_000,
    // Half of the exponential delay is kept so backoff still grows; the other half is random to spread retries.
    jitter: (delay: number) => delay / 2 + Math.random() * (delay / 2),
    retryOnTimeout: idempotent,
  };
}
