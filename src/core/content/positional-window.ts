/**
 * The window of a parallel download to storage: each piece is written at its offset as it arrives, so that bytes
 * ahead of a gap wait in the target, not in memory. The hash still takes the blob in order: a piece that arrives near
 * the hashing front is also kept in memory (a few MiB at most) and hashed from there; the rest is read back from the
 * target once the gap before it closes (for a file, from the page cache). Memory is then the pieces in flight, not
 * the bytes out of order, and ranges may run further ahead than a reorder window in memory could afford.
 * @module
 */
import { ChangeSignal } from "./change-signal";
import type { RandomAccessTarget } from "./random-access-target";
import type { ByteRange } from "./range-scheduler";
import type { PieceWindow } from "./reorder-window";

/** The most bytes read back at once for the hash. */
const READ_BACK = 256 * 1024;

/** A write on its way to the target. */
interface Writing extends ByteRange {
  done: Promise<void>;
}

/** Pieces written at their offsets in a target, handed out in order for the hash. */
export class PositionalWindow implements PieceWindow {
  /** The next offset handed out (hashed). */
  #next: number;
  /** The end of what is written without a gap from the start. */
  #contiguous: number;
  /** Spans written beyond `#contiguous`, sorted and apart. */
  readonly #ahead: ByteRange[] = [];
  /** Written pieces also kept in memory for the hash, by offset. */
  readonly #memory = new Map<number, Uint8Array>();
  #memoryBytes = 0;
  readonly #writing = new Set<Writing>();
  #failure: { error: unknown } | undefined;
  readonly #change = new ChangeSignal();

  /**
   * @param target - where the pieces are written
   * @param size - the blob's size
   * @param lead - the most bytes written beyond the gap, and the most written ahead of the hash without one
   * @param memoryLimit - the most written bytes also kept in memory for the hash
   * @param start - bytes already in the target and hashed
   */
  constructor(
    readonly target: RandomAccessTarget,
    readonly size: number,
    readonly lead: number,
    readonly memoryLimit: number,
    start = 0,
  ) {
    this.#next = start;
    this.#contiguous = start;
  }

  /** The next offset handed out for the hash. */
  get next(): number {
    return this.#next;
  }

  /** The end of what is written without a gap. */
  get contiguous(): number {
    return this.#contiguous;
  }

  advanceTo(offset: number): void {
    if (this.#ahead.length > 0 || this.#memoryBytes > 0 || this.#writing.size > 0)
      throw new Error("the positional window holds pieces");
    this.#next = offset;
    this.#contiguous = offset;
  }

  /**
   * Writes `bytes` at `offset` once there is room (see `#full`). A write over a span another write is still
   * putting down waits for it, so that the last piece given for a span is the one the target keeps; a fetch aborted
   * meanwhile (its range went to another connection) writes nothing more, and what it wrote is not counted.
   */
  async put(offset: number, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const end = offset + bytes.byteLength;
    for (;;) {
      if (this.#failure) throw this.#failure.error;
      if (signal?.aborted) throw signal.reason;
      const overlapping = [...this.#writing].find((writing) => writing.start < end && offset < writing.end);
      if (overlapping) await overlapping.done.catch(() => undefined);
      else if (this.#full(offset)) await this.#change.changed(undefined, signal);
      else break;
    }
    this.#forget(offset, end);
    const writing: Writing = { start: offset, end, done: this.target.write(offset, bytes) };
    this.#writing.add(writing);
    try {
      await writing.done;
    } finally {
      this.#writing.delete(writing);
      this.#change.notify();
    }
    this.#throwIfFailed();
    if (signal?.aborted) throw signal.reason;
    if (offset < this.#next + this.memoryLimit && this.#memoryBytes + bytes.byteLength <= this.memoryLimit) {
      this.#memory.set(offset, bytes);
      this.#memoryBytes += bytes.byteLength;
    }
    this.#written(offset, end);
    this.#change.notify();
  }

  /** The next written bytes in order, from memory or read back; undefined once the whole blob was handed out. */
  async take(): Promise<Uint8Array | undefined> {
    for (;;) {
      if (this.#failure) throw this.#failure.error;
      if (this.#next >= this.size) return undefined;
      if (this.#next < this.#contiguous) {
        const start = this.#next;
        const held = this.#memory.get(start);
        let piece: Uint8Array;
        if (held && start + held.byteLength <= this.#contiguous) {
          this.#release(start, held);
          piece = held;
        } else {
          // Read up to the next piece held in memory, so that it is hashed from there.
          let end = Math.min(this.#contiguous, start + READ_BACK);
          for (const offset of this.#memory.keys()) if (offset > start && offset < end) end = offset;
          piece = await this.target.read(start, end - start);
          this.#throwIfFailed();
          if (piece.byteLength !== end - start)
            throw new RangeError(`The download target gave ${piece.byteLength} bytes at ${start}, not ${end - start}`);
        }
        this.#next = start + piece.byteLength;
        this.#forget(0, this.#next);
        this.#change.notify();
        return piece;
      }
      await this.#change.changed();
    }
  }

  /** Forgets what was written beyond the contiguous front: one stream writes it again. */
  dropBeyondContiguous(): void {
    this.#ahead.length = 0;
    this.#forget(this.#contiguous, Infinity);
    this.#change.notify();
  }

  /** Ends the window with an error: every waiting and later call rejects with it. */
  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#forget(0, Infinity);
    this.#change.notify();
  }

  /** Resolves at the next change, or after `timeoutMs` when given. */
  changed(timeoutMs?: number): Promise<void> {
    return this.#change.changed(timeoutMs);
  }

  /**
   * Whether a piece at `offset` must wait: the front while the hash is a lead behind it (the reader's backpressure), any
   * other piece while a lead of bytes is written beyond the gap (the target's share of the work, and what is read back).
   */
  #full(offset: number): boolean {
    if (offset <= this.#contiguous) return this.#contiguous - this.#next >= this.lead;
    return this.#ahead.reduce((sum, span) => sum + span.end - span.start, 0) >= this.lead;
  }

  /** A write or read that ended after a failure (an abort, say) hands nothing on. */
  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }

  /** Counts `[start, end)` as written. */
  #written(start: number, end: number): void {
    if (start <= this.#contiguous) {
      this.#contiguous = Math.max(this.#contiguous, end);
    } else {
      this.#ahead.push({ start, end });
      this.#ahead.sort((a, b) => a.start - b.start);
      for (let i = this.#ahead.length - 1; i > 0; i--) {
        const before = this.#ahead[i - 1]!;
        const span = this.#ahead[i]!;
        if (span.start <= before.end) {
          before.end = Math.max(before.end, span.end);
          this.#ahead.splice(i, 1);
        }
      }
    }
    while (this.#ahead.length > 0 && this.#ahead[0]!.start <= this.#contiguous) {
      this.#contiguous = Math.max(this.#contiguous, this.#ahead.shift()!.end);
    }
  }

  /** Drops the pieces in memory that overlap `[start, end)`. */
  #forget(start: number, end: number): void {
    for (const [offset, piece] of this.#memory) {
      if (offset < end && start < offset + piece.byteLength) this.#release(offset, piece);
    }
  }

  #release(offset: number, piece: Uint8Array): void {
    this.#memory.delete(offset);
    this.#memoryBytes -= piece.byteLength;
  }
}
