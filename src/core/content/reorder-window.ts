/**
 * The reorder window of a parallel download: pieces of a blob that arrive out of order, held until the bytes before
 * them have arrived, then handed out in order. It holds a bounded number of bytes, so that a slow front range makes
 * the others wait (their connections feel TCP backpressure) instead of filling memory.
 * @module
 */
import { ChangeSignal } from "./change-signal";

/** Where a parallel download puts the pieces of a blob at their offsets and takes them back in order. */
export interface PieceWindow {
  /** The next offset the reader gets. */
  readonly next: number;
  /** The end of what is held without a gap: where a sequential stream would go on. */
  readonly contiguous: number;
  /** Puts `bytes` at `offset` once there is room; rejects with `signal`'s reason when it is aborted first. */
  put(offset: number, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** The next piece in order; undefined once the whole blob was handed out. */
  take(): Promise<Uint8Array | undefined>;
  /** Forgets every piece beyond the contiguous front: a download that goes on as one stream fetches them again. */
  dropBeyondContiguous(): void;
  /** Ends the window with an error: every waiting and later call rejects with it. */
  fail(error: unknown): void;
  /**
   * Starts the window at `offset`: the bytes before it were handed out by other means (the first connection, read
   * directly while it was alone). Only while nothing is held.
   */
  advanceTo(offset: number): void;
  /** Resolves at the next change, or after `timeoutMs` when given. */
  changed(timeoutMs?: number): Promise<void>;
}

/** Bytes of a blob handed out in order, from pieces put at any offset, held in memory. */
export class ReorderWindow implements PieceWindow {
  /** Held pieces by their offset. */
  readonly #held = new Map<number, Uint8Array>();
  #heldBytes = 0;
  /** The next offset handed out. */
  #next = 0;
  /** The end of the bytes held without a gap from `#next`. */
  #contiguous = 0;
  #failure: { error: unknown } | undefined;
  readonly #change = new ChangeSignal();

  /**
   * @param size - the blob's size: the window is done when everything up to it was handed out
   * @param capacity - the most bytes held beyond the contiguous front
   * @param frontLimit - the most bytes held at the front, waiting for the reader: the reader's backpressure
   */
  constructor(
    readonly size: number,
    readonly capacity: number,
    readonly frontLimit: number,
  ) {}

  /** The next offset the reader gets. */
  get next(): number {
    return this.#next;
  }

  /** The end of what is held without a gap: where a sequential stream would go on. */
  get contiguous(): number {
    return this.#contiguous;
  }

  /** Bytes held now, front included. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /**
   * Holds `bytes` at `offset` once there is room: a piece that continues the contiguous front waits only for the reader;
   * any other waits until the held bytes are below the capacity. Rejects with `signal`'s reason when it is aborted
   * first (the piece is then not held: its range was given to another connection).
   */
  async put(offset: number, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (this.#failure) throw this.#failure.error;
      if (signal?.aborted) throw signal.reason;
      const front = offset === this.#contiguous;
      const room = front
        ? this.#contiguous - this.#next < this.frontLimit
        : this.#heldBytes - (this.#contiguous - this.#next) < this.capacity;
      if (room) break;
      await this.#change.changed(undefined, signal);
    }
    this.#held.set(offset, bytes);
    this.#heldBytes += bytes.byteLength;
    while (this.#held.has(this.#contiguous)) this.#contiguous += this.#held.get(this.#contiguous)!.byteLength;
    this.#notify();
  }

  advanceTo(offset: number): void {
    if (this.#heldBytes > 0) throw new Error("the reorder window holds pieces");
    this.#next = offset;
    this.#contiguous = offset;
  }

  /** The next piece in order; undefined once the whole blob was handed out. */
  async take(): Promise<Uint8Array | undefined> {
    for (;;) {
      if (this.#failure) throw this.#failure.error;
      if (this.#next >= this.size) return undefined;
      const piece = this.#held.get(this.#next);
      if (piece) {
        this.#held.delete(this.#next);
        this.#heldBytes -= piece.byteLength;
        this.#next += piece.byteLength;
        this.#notify();
        return piece;
      }
      await this.changed();
    }
  }

  /** Drops every piece beyond the contiguous front: a download that goes on as one stream fetches them again. */
  dropBeyondContiguous(): void {
    for (const [offset, piece] of this.#held) {
      if (offset >= this.#contiguous) {
        this.#held.delete(offset);
        this.#heldBytes -= piece.byteLength;
      }
    }
    this.#notify();
  }

  /** Ends the window with an error: every waiting and later call rejects with it. */
  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#held.clear();
    this.#heldBytes = 0;
    this.#notify();
  }

  /** Resolves at the next change (a piece held or handed out, a failure), or after `timeoutMs` when given. */
  changed(timeoutMs?: number): Promise<void> {
    return this.#change.changed(timeoutMs);
  }

  #notify(): void {
    this.#change.notify();
  }
}
