/**
 * The emulator's rate limit: at most N counted requests in any one second, then 429 with `Retry-After`.
 * @module
 */
import { errorResponse } from "./errors";

/** A sliding one-second window of counted requests. */
export class RateWindow {
  readonly #times: number[] = [];

  /**
   * @param perSecond - requests allowed in any one second
   * @param clock - milliseconds since the epoch
   */
  constructor(
    private readonly perSecond: number,
    private readonly clock: () => number,
  ) {}

  /** Counts a request; returns the 429 to answer when it is over the limit (a refused request is not counted). */
  admit(): Response | undefined {
    const now = this.clock();
    while (this.#times.length > 0 && this.#times[0]! <= now - 1000) this.#times.shift();
    if (this.#times.length < this.perSecond) {
      this.#times.push(now);
      return undefined;
    }
    const waitMs = this.#times[0]! + 1000 - now;
    // Retry-After carries whole seconds (RFC 9110 §10.2.3): rounded up, so a client that waits it is let through.
    const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
    return errorResponse(
      429,
      "TOOMANYREQUESTS",
      `You have reached your request rate limit of ${this.perSecond} a second`,
      undefined,
      { "Retry-After": retryAfter },
    );
  }
}

/** Checks the `rateLimit` option: a positive finite number of requests a second. */
export function checkedRate(perSecond: number | undefined): number | undefined {
  if (perSecond === undefined) return undefined;
  if (!Number.isFinite(perSecond) || perSecond < 1)
    throw new RangeError(`rateLimit.perSecond must be a number of at least 1, got ${String(perSecond)}`);
  return Math.floor(perSecond);
}
