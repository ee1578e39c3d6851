/**
 * The one retry policy of every request: which failures are worth another attempt, how long to wait, and when to
 * stop. Idempotency decides whether a request may be repeated at all.
 * @module
 */
import { NetworkError } from "../errors/network-error";

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
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** The first backoff; it doubles with every retry up to `backoffLimitMs`. */
const FIRST_BACKOFF_MS = 300;

/** What went wrong with one attempt, as far as retrying cares: a response's status, or no usable response. */
export type AttemptFailure = { status: number; retryAfter: string | null } | { error: unknown };

/** Decides retries for the requests of one client. */
export class RetryPolicy {
  /** How many retries a request gets after its first attempt. */
  readonly limit: number;
  readonly #backoffLimitMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #maxElapsedMs: number;

  /** @param options - the client's retry settings; each must be a non-negative number */
  constructor(options: RetryOptions = {}) {
    this.limit = checked("retry.limit", options.limit ?? 3, true);
    this.#backoffLimitMs = checked("retry.backoffLimitMs", options.backoffLimitMs ?? 30_000);
    this.#maxRetryAfterMs = checked("retry.maxRetryAfterMs", options.maxRetryAfterMs ?? 60_000);
    this.#maxElapsedMs = checked("retry.maxElapsedMs", options.maxElapsedMs ?? 120_000);
  }

  /** Starts the bookkeeping of one request; a request that is not idempotent is never repeated. */
  begin(idempotent: boolean): RetryRun {
    return new RetryRun(this, idempotent ? this.limit : 0, Date.now() + this.#maxElapsedMs, this.#maxRetryAfterMs);
  }

  /**
   * The wait before retry number `retry` (1 for the first): exponential up to `backoffLimitMs`, half of it random so
   * that clients that failed together do not come back together.
   */
  backoff(retry: number): number {
    const delay = Math.min(this.#backoffLimitMs, FIRST_BACKOFF_MS * 2 ** Math.max(0, retry - 1));
    return delay / 2 + Math.random() * (delay / 2);
  }
}

/** The retries of one request: how many are left and until when. */
export class RetryRun {
  #retries = 0;

  /** @internal */
  constructor(
    private readonly policy: RetryPolicy,
    private readonly limit: number,
    private readonly deadline: number,
    private readonly maxRetryAfterMs: number,
  ) {}

  /**
   * The wait before the next attempt after `failure`, or undefined when the failure is final: not retryable, no
   * retries left, or a wait that would end past the request's time bound (or past `maxRetryAfterMs`).
   */
  next(failure: AttemptFailure): number | undefined {
    if (!isRetryable(failure) || this.#retries >= this.limit) return undefined;
    const remaining = this.deadline - Date.now();
    if (remaining <= 0) return undefined;
    let delay = this.policy.backoff(this.#retries + 1);
    if ("status" in failure && RETRY_AFTER_STATUSES.has(failure.status)) {
      const after = parseRetryAfter(failure.retryAfter);
      // Waiting longer than allowed, or past the total bound, only to fail later helps nobody.
      if (after !== undefined && (after > this.maxRetryAfterMs || after > remaining)) return undefined;
      if (after !== undefined) delay = after;
    }
    this.#retries++;
    return Math.min(delay, remaining);
  }
}

/** Whether a failure is transient: no answer at all, or a status that says "try again". */
export function isRetryable(failure: AttemptFailure): boolean {
  return "status" in failure ? RETRYABLE_STATUSES.includes(failure.status) : failure.error instanceof NetworkError;
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

function checked(name: string, value: number, integer = false): number {
  if (typeof value !== "number" || !(value >= 0) || (integer && !Number.isSafeInteger(value))) {
    throw new RangeError(`${name} must be a non-negative ${integer ? "integer" : "number"}, got ${String(value)}`);
  }
  return value;
}
