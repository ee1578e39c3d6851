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
  /** The end of what is handed out in order: the blob's size, or the start of a tail claimed ahead. */
  #end: number;

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
    this.#end = size;
  }

  /** The first unclaimed byte. */
  get next(): number {
    return this.#next;
  }

  /** Whether a range was given back and waits to be claimed again. */
  get hasReturned(): boolean {
    return this.#returned.length > 0;
  }

  /** Whether every byte has been claimed and none was given back. */
  get exhausted(): boolean {
    return this.#returned.length === 0 && this.#next >= this.#end;
  }

  /**
   * Claims the blob's last chunk ahead of the rest, when at least two chunks lie before it: a second connection that
   * probes there leaves the first one streaming on, so that a link one connection fills loses nothing to the probe.
   */
  claimTail(): ByteRange | undefined {
    if (this.#end - this.#next <= 2 * this.chunkSize) return undefined;
    const start = this.#end - this.chunkSize;
    const range = { start, end: this.#end };
    this.#end = start;
    return range;
  }

  /**
   * The next range to fetch, or undefined when none may start now: a range given back, else the next chunk when it
   * starts before `limit` (the reader's offset plus the window). `whole` claims everything left as one range (one
   * connection: a new request per chunk would only add round trips).
   */
  claim(limit: number, whole = false): ByteRange | undefined {
    const back = this.#returned.shift();
    if (back) return back;
    if (this.#next >= this.#end || this.#next >= limit) return undefined;
    const start = this.#next;
    this.#next = whole ? this.#end : Math.min(this.#end, start + this.chunkSize);
    return { start, end: this.#next };
  }

  /** Extends a range that ends at the first unclaimed byte by one chunk (or to the end): its stream goes on. */
  extend(range: ByteRange, whole = false): boolean {
    if (range.end !== this.#next || this.#next >= this.#end) return false;
    this.#next = whole ? this.#end : Math.min(this.#end, this.#next + this.chunkSize);
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
    this.#end = this.size;
  }
}
