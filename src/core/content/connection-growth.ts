/**
 * How many connections a parallel download uses. One at first, whose rate is measured alone; then twice as many each
 * time the download's total rate, over a range that ran entirely at the current count, was most of count × that rate
 * (the link had room: each connection is capped, not the link), and one back, for good, when two ranges found it was
 * not (the connections now share the link). A link that
 * one connection fills ends at one connection after one probe; storage that caps every flow gets as many as keep
 * their rate, up to the maximum. Rates are taken from a range's first byte to its last, so the round trip before it
 * is not read as a slower link.
 * @module
 */

/**
 * The share of "every connection at the rate of the first alone" that the download's total rate must reach for the
 * link to be taken as capping each connection rather than all of them (each new range idles one round trip).
 */
const KEEPS_RATE = 0.7;

/**
 * A first connection faster than this (bytes per millisecond: 100 MB/s) is not probed: the highest per-flow limit of
 * object storage in public guidance is S3's 85–90 MB/s per request, and beyond it the reader (hashing in order) is
 * the limit, which more connections cannot raise.
 */
const UNCAPPED_RATE = 100_000;

/** Decides the connection count of one download from the rates of its ranges. */
export class ConnectionGrowth {
  #target = 1;
  #frozen = false;
  /** Bytes per millisecond of one connection alone. */
  #alone: number | undefined;
  #aloneStart = 0;
  #aloneBytes = 0;
  /** When the count last changed: only ranges that began receiving after it measure the new count. */
  #changedAt = 0;
  /** Ranges at the current count that did not keep the rate. */
  #slow = 0;

  /**
   * @param max - the most connections
   * @param minAloneBytes - the fewest bytes the first connection's measurement covers
   * @param minAloneMs - the shortest measurement of the first connection
   */
  constructor(
    readonly max: number,
    readonly minAloneBytes: number,
    readonly minAloneMs = 250,
  ) {
    if (max <= 1) this.#frozen = true;
  }

  /** The connections the download should have now. */
  get target(): number {
    return this.#target;
  }

  /**
   * Whether a range at the current count ran slow and the next verdict may take the count back: until it comes, new
   * ranges are better taken from the blob's tail than next to the stream in front (bench/README.md, "Parallel
   * downloads": a range claimed there stops the first connection's stream from going on alone).
   */
  get undecided(): boolean {
    return !this.#frozen && this.#slow > 0;
  }

  /** Whether the count is settled. */
  get frozen(): boolean {
    return this.#frozen;
  }

  /**
   * Counts bytes of the first connection while it runs alone (`firstByteAt`: when its body began); returns true when
   * the measurement ends and the count goes to two.
   */
  alone(bytes: number, firstByteAt: number, now: number): boolean {
    if (this.#frozen || this.#alone !== undefined) return false;
    this.#aloneStart ||= firstByteAt;
    this.#aloneBytes += bytes;
    const elapsed = now - this.#aloneStart;
    if (this.#aloneBytes < this.minAloneBytes || elapsed < this.minAloneMs) return false;
    this.#alone = this.#aloneBytes / elapsed;
    if (this.#alone > UNCAPPED_RATE) {
      this.#frozen = true;
      return false;
    }
    return this.#change(2, now);
  }

  /**
   * A range ended that began receiving at `firstByteAt`; `bytes` is what every connection of the download received
   * from then to `now`. Returns true when the count changed.
   */
  rangeDone(bytes: number, firstByteAt: number, now: number): boolean {
    if (this.#frozen || this.#alone === undefined || firstByteAt < this.#changedAt || now <= firstByteAt) return false;
    const rate = bytes / (now - firstByteAt);
    if (rate >= this.#alone * this.#target * KEEPS_RATE) {
      if (this.#target >= this.max) {
        this.#frozen = true;
        return false;
      }
      // Doubling reaches the count a capped link needs in a few ranges; one too many costs nothing but a request.
      return this.#change(this.#target * 2, now);
    }
    // One slow range may be one slow front-end: two at the same count say the connections now share the link.
    if (++this.#slow < 2) return false;
    this.#frozen = true;
    return this.#change(this.#target - 1, now);
  }

  #change(target: number, now: number): boolean {
    this.#target = Math.max(1, Math.min(this.max, target));
    this.#changedAt = now;
    this.#slow = 0;
    return true;
  }
}
