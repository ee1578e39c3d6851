/**
 * Which byte range of a blob a connection fetches next: ranges given back (a connection failed, or fell far behind)
 * first, then the next chunk in order, never further ahead of the reader than the reorder window reaches.
 * @module
 */

/** A half-open byte range `[start, end)`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Hands out the ranges of one blob. */
export class RangeScheduler {
  /** The first byte no connection has claimed yet. */
  #next: number;
  readonly #returned: ByteRange[] = [];

  /**
   * @param size - the blob's size
   * @param chunkSize - the size of a range
   * @param start - the first byte to hand out (the bytes before it are another stream's)
   */
  constructor(
    readonly size: number,
    readonly chunkSize: number,
    start = 0,
  ) {
    this.#next = start;
  }

  /** The first unclaimed byte. */
  get next(): number {
    return this.#next;
  }

  /** Whether every byte has been claimed and none was given back. */
  get exhausted(): boolean {
    return this.#returned.length === 0 && this.#next >= this.size;
  }

  /**
   * The next range to fetch, or undefined when none may start now: a range given back, else the next chunk when it
   * starts before `limit` (the reader's offset plus the window). `whole` claims everything left as one range (one
   * connection: a new request per chunk would only add round trips).
   */
  claim(limit: number, whole = false): ByteRange | undefined {
    const back = this.#returned.shift();
    if (back) return back;
    if (this.#next >= this.size || this.#next >= limit) return undefined;
    const start = this.#next;
    this.#next = whole ? this.size : Math.min(this.size, start + this.chunkSize);
    return { start, end: this.#next };
  }

  /** Extends a range that ends at the first unclaimed byte by one chunk (or to the end): its stream goes on. */
  extend(range: ByteRange, whole = false): boolean {
    if (range.end !== this.#next || this.#next >= this.size) return false;
    this.#next = whole ? this.size : Math.min(this.size, this.#next + this.chunkSize);
    range.end = this.#next;
    return true;
  }

  /** Gives a range back, to be claimed before any new chunk. */
  giveBack(range: ByteRange): void {
    if (range.end > range.start) this.#returned.push({ ...range });
    this.#returned.sort((a, b) => a.start - b.start);
  }

  /** Forgets every claim from `offset` on: the download goes on from there as one stream. */
  restartAt(offset: number): void {
    this.#returned.length = 0;
    this.#next = offset;
  }
}
