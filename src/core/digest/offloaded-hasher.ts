/**
 * A hasher that moves large inputs to a worker (a thread of its own), so that hashing does not share the thread
 * that receives or sends the bytes; small inputs stay on a plain local hasher.
 *
 * The decision is made from the bytes themselves, so that no caller has to know the size in advance: as long as
 * no more than `threshold` bytes have been fed, every piece goes to the local hasher and a copy of it is kept. The
 * worker is started when half the threshold has been fed, so that its start-up overlaps the rest; the piece that
 * takes the total past the threshold hands it the copies (transferred, not copied again) and the local hash is
 * dropped; from then on every piece is copied into batch buffers that are transferred
 * to the worker and transferred back for reuse.
 * A caller's buffer is never transferred: buffers are reused by the sources and streams that feed a hasher.
 * @module
 */
import { HashingError } from "../errors/hashing-error";
import type { DigestAlgorithm } from "../grammar/digest";
import type { FromHashWorker, HashWorkerPort } from "./hash-worker-protocol";
import type { Hasher, HasherFactory } from "./hasher";

/** How an offloading hasher factory decides, batches and starts its workers. */
export interface OffloadOptions {
  /** Bytes fed on the local hasher before the rest goes to a worker; at or below it no worker is started. */
  threshold: number;
  /** The hasher for small inputs, and for everything when no worker can be started. */
  local: HasherFactory;
  /** Starts one worker; `undefined` when this runtime cannot (then the local hasher does all the work). */
  startWorker: () => HashWorkerPort | undefined;
  /** Size of the buffers copied pieces are gathered in before they are sent. Default 1 MiB. */
  batchBytes?: number;
  /** Bytes sent and not yet hashed above which `update` asks its caller to wait. Default 4 MiB. */
  maxInFlightBytes?: number;
  /** Told when a worker failed before it was needed; the factory then starts no more. */
  onUnavailable?: () => void;
}

const DEFAULT_BATCH_BYTES = 1024 * 1024;
const DEFAULT_MAX_IN_FLIGHT = 4 * 1024 * 1024;

/**
 * The worker's side of one hash as seen from here: the buffer pool, the bytes in flight, the waiters. Kept apart
 * from the hasher so that a hasher its caller dropped (a cancelled download) can be collected, which terminates
 * the worker.
 */
class WorkerChannel {
  private readonly pool: ArrayBuffer[] = [];
  private inFlight = 0;
  private failure: Error | undefined;
  private drained: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private digest: { resolve: (hex: string) => void; reject: (error: Error) => void } | undefined;
  private current: Uint8Array | undefined;
  private filled = 0;
  private finished = false;

  constructor(
    private readonly port: HashWorkerPort,
    algorithm: DigestAlgorithm,
    private readonly batchBytes: number,
    private readonly maxInFlight: number,
  ) {
    port.listen(
      (message) => this.onMessage(message),
      (error) => this.fail(error),
    );
    port.post({ type: "start", algorithm });
  }

  /** Copies `data` into batch buffers, sending each full one; resolves once the worker has caught up enough. */
  write(data: Uint8Array): void | Promise<void> {
    if (this.failure) throw this.failure;
    for (let offset = 0; offset < data.byteLength; ) {
      this.current ??= new Uint8Array(this.pool.pop() ?? new ArrayBuffer(this.batchBytes));
      const length = Math.min(data.byteLength - offset, this.current.byteLength - this.filled);
      this.current.set(data.subarray(offset, offset + length), this.filled);
      this.filled += length;
      offset += length;
      if (this.filled === this.current.byteLength) this.flush();
    }
    if (this.inFlight <= this.maxInFlight) return undefined;
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
    return answer;
  }

  /** Transfers a buffer this side owns and will not touch again. */
  send(owned: Uint8Array): void {
    const buffer = owned.buffer as ArrayBuffer;
    if (this.inFlight === 0) this.port.hold(true);
    this.inFlight += owned.byteLength;
    this.port.post({ type: "bytes", buffer, offset: owned.byteOffset, length: owned.byteLength }, [buffer]);
  }

  private flush(): void {
    if (!this.current || this.filled === 0) return;
    this.send(this.current.subarray(0, this.filled));
    this.current = undefined;
    this.filled = 0;
  }

  private onMessage(message: FromHashWorker): void {
    if (message.type === "returned") {
      this.inFlight -= message.length;
      if (message.buffer.byteLength === this.batchBytes && this.pool.length * this.batchBytes < this.maxInFlight) this.pool.push(message.buffer);
      if (this.inFlight === 0 && !this.finished) this.port.hold(false);
      if (this.inFlight <= this.maxInFlight) for (const waiter of this.drained.splice(0)) waiter.resolve();
    } else if (message.type === "digest") {
      this.port.terminate();
      this.digest?.resolve(message.hex);
    } else {
      this.fail(new HashingError("worker-failed", message.message));
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.port.terminate();
    for (const waiter of this.drained.splice(0)) waiter.reject(error);
    this.digest?.reject(error);
  }
}

/** Terminates the worker of a hasher that was dropped before its digest (an abandoned transfer). */
const abandoned = new FinalizationRegistry<HashWorkerPort>((port) => port.terminate());

class OffloadedHasher implements Hasher {
  /** Copies of what the local hasher was fed, for the worker should the input turn out large. */
  private copies: Uint8Array[] = [];
  private fed = 0;
  /** Started at half the threshold, so that its start-up overlaps the rest of the local phase. */
  private starting: HashWorkerPort | undefined;
  private channel: WorkerChannel | undefined;

  constructor(
    private readonly algorithm: DigestAlgorithm,
    private local: Hasher | undefined,
    private threshold: number,
    private readonly options: OffloadOptions,
  ) {}

  update(data: Uint8Array): void | Promise<void> {
    if (this.channel) return this.channel.write(data);
    const total = this.fed + data.byteLength;
    if (total > this.threshold / 2 && !this.starting) this.startWorker();
    if (total > this.threshold && this.starting?.failed()) this.stayLocal();
    if (total > this.threshold && this.starting) this.moveToWorker(this.starting);
    if (this.channel) return (this.channel as WorkerChannel).write(data);
    this.fed = total;
    // A copy of its own (not `slice`, which on a Node Buffer is a view of the caller's memory).
    if (Number.isFinite(this.threshold)) this.copies.push(new Uint8Array(data));
    return this.local!.update(data);
  }

  digestHex(): string | Promise<string> {
    if (this.channel) {
      abandoned.unregister(this);
      return this.channel.finish();
    }
    // Small after all: the worker started in advance is not needed.
    if (this.starting) {
      abandoned.unregister(this);
      this.starting.terminate();
    }
    this.copies = [];
    return this.local!.digestHex();
  }

  /** Starts the worker; without one, everything stays local (and nothing more is copied). */
  private startWorker(): void {
    this.starting = this.options.startWorker();
    if (this.starting) {
      abandoned.register(this, this.starting, this);
    } else {
      this.threshold = Number.POSITIVE_INFINITY;
      this.copies = [];
    }
  }

  /**
   * Keeps the whole hash local: the worker failed before it was needed (a bundler that did not ship its script, say).
   * The factory starts no more workers, so the transfers after this one do not try again.
   */
  private stayLocal(): void {
    this.starting!.terminate();
    abandoned.unregister(this);
    this.starting = undefined;
    this.threshold = Number.POSITIVE_INFINITY;
    this.copies = [];
    this.options.onUnavailable?.();
  }

  /** Hands the worker the copies and drops the local hash. */
  private moveToWorker(port: HashWorkerPort): void {
    const channel = new WorkerChannel(port, this.algorithm, this.options.batchBytes ?? DEFAULT_BATCH_BYTES, this.options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT);
    // The copies are this hasher's own: they are transferred as they are, not copied again.
    for (const copy of this.copies) channel.send(copy);
    this.copies = [];
    this.local = undefined;
    this.channel = channel;
  }
}

/**
 * A hasher factory that hashes inputs up to `threshold` bytes locally and larger ones on a worker.
 *
 * Its hashers' `update` returns a promise while the worker is behind (wait for it before feeding more), and
 * `digestHex` a promise once a worker is in use; callers await both.
 */
export function offloadingHasherFactory(options: OffloadOptions): HasherFactory {
  let unavailable = false;
  const guarded: OffloadOptions = {
    ...options,
    startWorker: () => (unavailable ? undefined : options.startWorker()),
    onUnavailable: () => {
      unavailable = true;
      options.onUnavailable?.();
    },
  };
  return async (algorithm) => new OffloadedHasher(algorithm, await options.local(algorithm), options.threshold, guarded);
}
