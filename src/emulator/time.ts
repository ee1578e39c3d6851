/**
 * Timestamps in ACR's format: RFC 3339 with seven fractional digits and `Z`.
 * @module
 */

/**
 * A point in time in 100-nanosecond ticks since the Unix epoch.
 *
 * ACR prints seven fractional digits; ticks keep that precision and, being strictly increasing,
 * give every change a distinct time so that `orderby=timedesc` is deterministic even within a millisecond.
 */
export type Instant = bigint;

const TICKS_PER_MS = 10_000n;

/** Wraps a millisecond clock into a strictly increasing {@link Instant} clock. */
export function createInstantClock(clock: () => number): () => Instant {
  let last = 0n;
  return () => {
    const ticks = BigInt(Math.floor(clock())) * TICKS_PER_MS;
    last = ticks > last ? ticks : last + 1n;
    return last;
  };
}

/** Formats an instant as ACR does, e.g. `2018-09-07T16:30:46.6583219Z`. */
export function formatInstant(instant: Instant): string {
  const ms = Number(instant / TICKS_PER_MS);
  const extra = (instant % TICKS_PER_MS).toString().padStart(4, "0");
  return new Date(ms).toISOString().replace("Z", `${extra}Z`);
}

/** Orders instants for `Array.prototype.sort`, oldest first. */
export function compareInstants(a: Instant, b: Instant): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
