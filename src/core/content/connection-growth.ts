/**
 * How many connections a parallel download uses: one at first, one more while the last one added raised the
 * throughput, and back to the previous count where it did not. A link whose single connection already fills it (no
 * per-connection limit) ends at one connection after one probe; a storage front-end that caps every flow gets as many
 * as raise the total, up to the maximum.
 * @module
 */

/** What one measured interval at a given connection count gave. */
interface Interval {
  connections: number;
  bytesPerMs: number;
}

/** The gain in throughput that justifies one more connection. */
const GROWTH = 1.2;

/** Decides the connection count of one download from its throughput. */
export class ConnectionGrowth {
  #target = 1;
  #frozen = false;
  #last: Interval | undefined;
  #intervalStart = 0;
  #intervalBytes = 0;
  #measuring = false;

  /**
   * @param max - the most connections
   * @param minIntervalBytes - the fewest bytes a measurement covers (a chunk: shorter ones measure request latency)
   * @param minIntervalMs - the shortest measurement
   */
  constructor(
    readonly max: number,
    readonly minIntervalBytes: number,
    readonly minIntervalMs = 250,
  ) {
    if (max <= 1) this.#frozen = true;
  }

  /** The connections the download should have now. */
  get target(): number {
    return this.#target;
  }

  /** Whether the count is settled: no more probes. */
  get frozen(): boolean {
    return this.#frozen;
  }

  /**
   * Starts a measurement at the current count: call when every connection of the count is receiving (a connection
   * still waiting for its first byte would be measured as no gain).
   */
  begin(now: number): void {
    if (this.#frozen || this.#measuring) return;
    this.#measuring = true;
    this.#intervalStart = now;
    this.#intervalBytes = 0;
  }

  /** Whether a measurement is running. */
  get measuring(): boolean {
    return this.#measuring;
  }

  /** Counts bytes received; returns true when the target changed. */
  received(bytes: number, now: number): boolean {
    if (!this.#measuring) return false;
    this.#intervalBytes += bytes;
    const elapsed = now - this.#intervalStart;
    if (this.#intervalBytes < this.minIntervalBytes || elapsed < this.minIntervalMs) return false;
    this.#measuring = false;
    const interval = { connections: this.#target, bytesPerMs: this.#intervalBytes / elapsed };
    const previous = this.#last;
    if (previous && interval.bytesPerMs < previous.bytesPerMs * GROWTH) {
      // The last connection added nothing worth its requests: go back to the count before it, and stay there.
      this.#target = previous.connections;
      this.#frozen = true;
      return true;
    }
    this.#last = interval;
    if (this.#target >= this.max) {
      this.#frozen = true;
      return false;
    }
    this.#target++;
    return true;
  }
}
