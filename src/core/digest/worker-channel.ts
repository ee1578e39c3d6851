/**
 * One hash on a worker, as seen from the hasher's thread: the worker's readiness, the buffer pool, the bytes in
 * flight, the waiters, and what a local hasher needs to carry on should the worker fail.
 * @module
 */
import { HashingError } from "../errors/hashing-error";
import type { DigestAlgorithm } from "../grammar/digest";
import type { FromHashWorker, HashWorkerPort } from "./hash-worker-protocol";

/** How a channel batches its bytes and how long it waits for a silent worker. */
export interface ChannelLimits {
  batchBytes: number;
  maxInFlight: number;
  /** Milliseconds without a word from a worker that owes an answer, after which it counts as stopped. */
  stallMs: number;
}

/** Where a local hasher picks up the hash of a worker that failed: its saved state, then the bytes after it. */
export interface Resumption {
  /** The worker's saved state after the last bytes it confirmed; `undefined`: from the start. */
  state: Uint8Array | undefined;
  /** The bytes sent after that state, in order. */
  bytes: Uint8Array[];
}

/**
 * The worker's side of one hash. Kept apart from the hasher so that a hasher its caller dropped (a cancelled
 * download) can be collected, which terminates the worker.
 *
 * A resumable worker (one that says so in its `ready`) gets copies of the batches, and the channel keeps each one
 * until the worker has hashed it and sent its state: a failure at any point then leaves a {@link Resumption}. Any
 * other worker gets the batches themselves (transferred, no copy), and its failure after the hand-over is final.
 */
export class WorkerChannel {
  private ready = false;
  private resumable = false;
  private readonly pool: ArrayBuffer[] = [];
  private inFlight = 0;
  private failure: Error | undefined;
  /** What was sent and not yet confirmed, oldest first (resumable workers only). */
  private readonly unconfirmed: Uint8Array[] = [];
  private state: Uint8Array | undefined;
  private drained: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private digest: { resolve: (hex: string) => void; reject: (error: Error) => void } | undefined;
  private current: Uint8Array | undefined;
  private filled = 0;
  private finished = false;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  /** Callers waiting for the worker's first word: ready, or a failure. */
  private settledWaiters: Array<() => void> = [];
  /** Told of a failure after the hand-over (with what a local hasher needs, if the worker was resumable). */
  onFailure: ((error: Error, resumption: Resumption | undefined) => void) | undefined;

  constructor(
    private readonly port: HashWorkerPort,
    algorithm: DigestAlgorithm,
    private readonly limits: ChannelLimits,
  ) {
    port.listen(
      (message) => this.onMessage(message),
      (error) => this.fail(error),
    );
    port.post({ type: "start", algorithm });
  }

  /** Whether the worker has said it is ready and has not failed: only then may the hash move to it. */
  usable(): boolean {
    return this.ready && !this.failure;
  }

  /** Whether the worker failed (before the hand-over: its script could not load, or threw). */
  failed(): boolean {
    return this.failure !== undefined;
  }

  /** Resolves once the worker is ready or has failed, or after `timeoutMs`, whichever comes first. */
  settled(timeoutMs: number): Promise<void> {
    if (this.ready || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.settledWaiters.push(done);
    });
  }

  /** Copies `data` into batch buffers, sending each full one; resolves once the worker has caught up enough. */
  write(data: Uint8Array): void | Promise<void> {
    if (this.failure) throw this.failure;
    for (let offset = 0; offset < data.byteLength;) {
      this.current ??= new Uint8Array(this.pool.pop() ?? new ArrayBuffer(this.limits.batchBytes));
      const length = Math.min(data.byteLength - offset, this.current.byteLength - this.filled);
      this.current.set(data.subarray(offset, offset + length), this.filled);
      this.filled += length;
      offset += length;
      if (this.filled === this.current.byteLength) this.flush();
    }
    if (this.inFlight <= this.limits.maxInFlight) return undefined;
    return new Promise((resolve, reject) => this.drained.push({ resolve, reject }));
  }

  /** Sends what is left and the request for the digest; the worker ends once it has answered. */
  finish(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    this.flush();
    this.finished = true;
    this.port.hold(true);
    const answer = new Promise<string>((resolve, reject) => (this.digest = { resolve, reject }));
    this.port.post({ type: "finish" });
    this.arm();
    return answer;
  }

  /** Sends a buffer this side owns and will not write again. */
  send(owned: Uint8Array): void {
    const buffer = owned.buffer as ArrayBuffer;
    if (this.inFlight === 0) this.port.hold(true);
    this.inFlight += owned.byteLength;
    const message = { type: "bytes", buffer, offset: owned.byteOffset, length: owned.byteLength } as const;
    if (this.resumable) {
      this.unconfirmed.push(owned);
      this.port.post(message);
    } else {
      this.port.post(message, [buffer]);
    }
    this.arm();
  }

  /** Ends the worker: the hash is not needed after all. */
  close(): void {
    this.disarm();
    this.port.terminate();
  }

  private flush(): void {
    if (!this.current || this.filled === 0) return;
    this.send(this.current.subarray(0, this.filled));
    this.current = undefined;
    this.filled = 0;
  }

  private onMessage(message: FromHashWorker): void {
    if (this.failure) return;
    this.disarm();
    if (message.type === "ready") {
      this.ready = true;
      this.resumable = message.resumable;
      for (const wake of this.settledWaiters.splice(0)) wake();
    } else if (message.type === "returned") {
      this.onReturned(message.buffer, message.length, message.state);
    } else if (message.type === "digest") {
      this.port.terminate();
      this.digest?.resolve(message.hex);
    } else {
      this.fail(new HashingError("worker-failed", message.message));
    }
  }

  private onReturned(returned: ArrayBuffer, length: number, state: Uint8Array | undefined): void {
    this.inFlight -= length;
    // A resumable worker hashed a copy: the original is the one to reuse, now that the state covers it.
    const buffer = this.resumable ? this.unconfirmed.shift()?.buffer : returned;
    if (this.resumable) this.state = state;
    if (
      buffer?.byteLength === this.limits.batchBytes &&
      this.pool.length * this.limits.batchBytes < this.limits.maxInFlight
    )
      this.pool.push(buffer as ArrayBuffer);
    if (this.inFlight === 0 && !this.finished) this.port.hold(false);
    if (this.inFlight > 0 || this.finished) this.arm();
    if (this.inFlight <= this.limits.maxInFlight) for (const waiter of this.drained.splice(0)) waiter.resolve();
  }

  /** Starts the stall timer afresh: a worker that owes an answer and says nothing for `stallMs` has stopped. */
  private arm(): void {
    this.disarm();
    this.watchdog = setTimeout(
      () => this.fail(new HashingError("worker-stopped", `no answer for ${this.limits.stallMs} ms`)),
      this.limits.stallMs,
    );
    // Node: the worker is held while an answer is awaited; the timer alone must not keep the process alive.
    (this.watchdog as { unref?: () => void }).unref?.();
  }

  private disarm(): void {
    if (this.watchdog !== undefined) clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.close();
    const resumption = this.resumable ? this.resumption() : undefined;
    this.onFailure?.(error, resumption);
    for (const waiter of this.drained.splice(0)) {
      if (resumption) waiter.resolve();
      else waiter.reject(error);
    }
    this.digest?.reject(error);
    for (const wake of this.settledWaiters.splice(0)) wake();
  }

  private resumption(): Resumption {
    const bytes = [...this.unconfirmed];
    if (this.current && this.filled > 0) bytes.push(this.current.subarray(0, this.filled));
    return { state: this.state, bytes };
  }
}
