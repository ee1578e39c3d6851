/**
 * The retry policy on its own: which failures are retried, how often, how long it waits (backoff with jitter,
 * Retry-After for 429 and 503 only) and the bounds it keeps (retries, Retry-After, total time).
 */
import { describe, expect, it } from "vitest";
import { isRetryable, RetryPolicy, RETRYABLE_STATUSES } from "../../../../src/core/http/retry-policy";
import { NetworkError } from "../../../../src/index";

const status = (code: number, retryAfter: string | null = null) => ({ status: code, retryAfter });
const noAnswer = { error: new NetworkError("connection", "GET", "http://127.0.0.1:1/v2/") };

describe("RetryPolicy", () => {
  it.each([
    ["limit", { limit: -1 }],
    ["limit", { limit: 1.5 }],
    ["backoffLimitMs", { backoffLimitMs: Number.NaN }],
    ["maxRetryAfterMs", { maxRetryAfterMs: -5 }],
    ["maxElapsedMs", { maxElapsedMs: -1 }],
  ])("refuses a bad retry.%s with a RangeError naming it", (name, options) => {
    expect(() => new RetryPolicy(options)).toThrow(new RegExp(`retry\\.${name} must be a non-negative`));
  });

  it("waits half to all of an exponential backoff, capped at backoffLimitMs", () => {
    const policy = new RetryPolicy({ backoffLimitMs: 1000 });
    for (let sample = 0; sample < 200; sample++) {
      const first = policy.backoff(1);
      expect(first).toBeGreaterThanOrEqual(150);
      expect(first).toBeLessThanOrEqual(300);
      const second = policy.backoff(2);
      expect(second).toBeGreaterThanOrEqual(300);
      expect(second).toBeLessThanOrEqual(600);
      const capped = policy.backoff(20);
      expect(capped).toBeGreaterThanOrEqual(500);
      expect(capped).toBeLessThanOrEqual(1000);
    }
  });

  it("retries an idempotent request `limit` times, then stops", () => {
    const run = new RetryPolicy({ limit: 2, backoffLimitMs: 10 }).begin(true);
    expect(run.next(status(503))).toBeTypeOf("number");
    expect(run.next(noAnswer)).toBeTypeOf("number");
    expect(run.next(status(503))).toBeUndefined();
  });

  it("never retries a request that is not idempotent", () => {
    expect(new RetryPolicy({ limit: 5 }).begin(false).next(status(503))).toBeUndefined();
  });

  it.each([400, 401, 403, 404, 405, 409, 413, 416, 501])("does not retry a %i", (code) => {
    expect(new RetryPolicy().begin(true).next(status(code))).toBeUndefined();
  });

  it("retries what is transient: 408, 429, 5xx but 501, and no answer; not any other error", () => {
    expect(RETRYABLE_STATUSES).toEqual([408, 429, 500, 502, 503, 504]);
    for (const code of RETRYABLE_STATUSES) expect(isRetryable(status(code))).toBe(true);
    expect(isRetryable(noAnswer)).toBe(true);
    expect(isRetryable({ error: new TypeError("a bug, not the network") })).toBe(false);
  });

  it("waits what Retry-After says on a 429 or 503, and ignores it on a 500", () => {
    const policy = new RetryPolicy({ backoffLimitMs: 10 });
    expect(policy.begin(true).next(status(429, "2"))).toBe(2000);
    expect(policy.begin(true).next(status(503, "1"))).toBe(1000);
    expect(policy.begin(true).next(status(500, "7"))).toBeLessThanOrEqual(10);
  });

  it("fails at once when Retry-After asks for longer than maxRetryAfterMs or than the time left", () => {
    expect(new RetryPolicy({ maxRetryAfterMs: 5000 }).begin(true).next(status(429, "6"))).toBeUndefined();
    expect(new RetryPolicy({ maxElapsedMs: 3000 }).begin(true).next(status(503, "4"))).toBeUndefined();
  });

  it("never waits past the total time bound, and does not retry once it is spent", () => {
    const bounded = new RetryPolicy({ backoffLimitMs: 60_000, maxElapsedMs: 50 }).begin(true);
    expect(bounded.next(status(503))).toBeLessThanOrEqual(50);
    expect(new RetryPolicy({ maxElapsedMs: 0 }).begin(true).next(status(503))).toBeUndefined();
  });
});
