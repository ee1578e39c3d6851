/**
 * A hasher that moves large inputs to a worker (a thread of its own), so that hashing does not share the thread
 * that receives or sends the bytes; small inputs stay on a plain local hasher.
 *
 * The decision is made from the bytes themselves, so that no caller has to know the size in advance: as long as
 * no more than `threshold` bytes have been fed, every piece goes to the local hasher and a copy of it is kept. The
 * worker is started when half the threshold has been fed, so that its start-up overlaps the rest. The hash moves to
 * it only once it has said it is ready (its first message) and the threshold is passed: it is handed the copies and
 * the local hash is dropped. A worker that is not ready yet leaves the hash local (with copies, up to a bound, at which
 * the transfer waits once for it), one
 * that fails before then leaves it local for good, and a resumable one that fails later hands back its last saved
 * state and the bytes after it, from which a local hasher carries on: the worker is an optimisation, never a way for
 * a transfer to fail.
 * A caller's buffer is never transferred: buffers are reused by the sources and streams that feed a hasher.
 * @module
 */
import type { DigestAlgorithm } from "../grammar/digest";
import type { HashWorkerPort } from "./hash-worker-protocol";
import type { Hasher, HasherFactory } from "./hasher";
import { WorkerChannel, type ChannelLimits, type Resumption } from "./worker-channel";

/** How an offloading hasher factory decides, batches and starts its workers. */
export interface OffloadOptions {
  /** Bytes fed on the local hasher before the rest goes to a worker; at or below it no worker is started. */
  threshold: number;
  /** The hasher for small inputs, and for everything when no worker can be started. */
  local: HasherFactory;
  /** A local hasher that carries on from a resumable worker's saved state; without it such a worker's failure is final. */
  resume?: (algorithm: DigestAlgorithm, state: Uint8Array) => Promise<Hasher>;
  /** Starts one worker; `undefined` when this runtime cannot (then the local hasher does all the work). */
  startWorker: () => HashWorkerPort | undefined;
  /** Size of the buffers copied pieces are gathered in before they are sent. Default 1 MiB. */
  batchBytes?: number;
  /** Bytes sent and not yet hashed above which `update` asks its caller to wait. Default 4 MiB. */
  maxInFlightBytes?: number;
  /** Milliseconds a worker that owes an answer may stay silent before it counts as stopped. Default 10 s. */
  stallMs?: number;
  /** Told when a worker failed before it was ready; the factory then starts no more. */
  onUnavailable?: () => void;
}

const DEFAULT_BATCH_BYTES = 1024 * 1024;
const DEFAULT_MAX_IN_FLIGHT = 4 * 1024 * 1024;
const DEFAULT_STALL_MS = 10_000;
/** Copies kept for a worker that is slow to get ready, at least: beyond them this transfer stays local. */
const MIN_COPY_BYTES = 16 * 1024 * 1024;
/**
 * How long a transfer that has run past its copies waits, once, for a worker still starting. Waiting costs a pause
 * of the worker's start-up (tens of milliseconds); not waiting leaves the whole rest of a fast transfer hashed on the
 * receiving thread (on loopback, 16 MiB arrive before a worker thread is up: bench/README.md, "The loopback verified
 * download, again").
 */
const READY_WAIT_MS = 1000;

/** Terminates the worker of a hasher that was dropped before its digest (an abandoned transfer). */
const abandoned = new FinalizationRegistry<WorkerChannel>((channel) => channel.close());

class OffloadedHasher implements Hasher {
  /** Copies of what the local hasher was fed, for the worker should the input turn out large. */
  private copies: Uint8Array[] = [];
  private fed = 0;
  /** Started at half the threshold, so that its start-up overlaps the rest of the local phase. */
  private starting: WorkerChannel | undefined;
  private channel: WorkerChannel | undefined;
  /** A local hasher being rebuilt from a failed worker's state, then fed in order: every later call chains on it. */
  private recovering: Promise<void> | undefined;
  private readonly maxCopyBytes: number;
  /** Whether this hasher has already waited for its worker to get ready: it waits once. */
  private waitedForWorker = false;

  constructor(
    private readonly algorithm: DigestAlgorithm,
    private local: Hasher | undefined,
    private threshold: number,
    private readonly options: OffloadOptions,
  ) {
    this.maxCopyBytes = Math.max(2 * threshold, MIN_COPY_BYTES);
  }

  update(data: Uint8Array): void | Promise<void> {
    if (this.recovering) return this.afterRecovery(data);
    if (this.channel) return this.channel.write(data);
    const total = this.fed + data.byteLength;
    if (total > this.threshold / 2 && !this.starting) this.startWorker();
    if (this.starting?.failed()) this.stayLocal(true);
    if (total > this.threshold && this.starting?.usable()) this.moveToWorker(this.starting);
    if (this.channel) return (this.channel as WorkerChannel).write(data);
    // A worker slower to get ready than the copies may grow is waited for once (the bytes are taken all the same:
    // the wait is backpressure); still not ready after that, this transfer stays local, the next one tries again.
    const waitForWorker = total > this.maxCopyBytes && this.starting !== undefined && !this.waitedForWorker;
    if (total > this.maxCopyBytes && this.starting && !waitForWorker) this.stayLocal(false);
    this.fed = total;
    // A copy of its own (not `slice`, which on a Node Buffer is a view of the caller's memory).
    if (Number.isFinite(this.threshold)) this.copies.push(new Uint8Array(data));
    const local = this.local!.update(data);
    if (!waitForWorker) return local;
    this.waitedForWorker = true;
    return Promise.all([local, this.starting!.settled(READY_WAIT_MS)]).then(() => undefined);
  }

  digestHex(): string | Promise<string> {
    if (this.recovering) return this.recovering.then(() => this.local!.digestHex());
    if (this.channel) {
      abandoned.unregister(this);
      return this.finishOnWorker(this.channel);
    }
    // Small after all, or the worker never got ready: the worker started in advance is not needed.
    if (this.starting) this.stayLocal(this.starting.failed());
    this.copies = [];
    return this.local!.digestHex();
  }

  private async finishOnWorker(channel: WorkerChannel): Promise<string> {
    try {
      return await channel.finish();
    } catch (error) {
      // A resumable worker's failure has started a recovery; any other failure is final.
      if (!this.recovering) throw error;
      await this.recovering;
      return this.local!.digestHex();
    }
  }

  /** Feeds `data` to the recovered local hasher, after what is already queued (a copy: the caller reuses `data`). */
  private afterRecovery(data: Uint8Array): Promise<void> {
    const copy = new Uint8Array(data);
    this.recovering = this.recovering!.then(() => this.local!.update(copy));
    return this.recovering;
  }

  /** Starts the worker; without one, everything stays local (and nothing more is copied). */
  private startWorker(): void {
    const port = this.options.startWorker();
    if (!port) {
      this.threshold = Number.POSITIVE_INFINITY;
      this.copies = [];
      return;
    }
    const limits: ChannelLimits = {
      batchBytes: this.options.batchBytes ?? DEFAULT_BATCH_BYTES,
      maxInFlight: this.options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT,
      stallMs: this.options.stallMs ?? DEFAULT_STALL_MS,
    };
    this.starting = new WorkerChannel(port, this.algorithm, limits);
    abandoned.register(this, this.starting, this);
  }

  /**
   * Keeps the whole hash local and ends the worker. A worker that failed before it was ready (a bundler that did
   * not ship its script, a policy that forbids it) makes the factory start no more, so later transfers do not try.
   */
  private stayLocal(unavailable: boolean): void {
    this.starting!.close();
    abandoned.unregister(this);
    this.starting = undefined;
    this.threshold = Number.POSITIVE_INFINITY;
    this.copies = [];
    if (unavailable) this.options.onUnavailable?.();
  }

  /** Hands the worker the copies and drops the local hash. */
  private moveToWorker(channel: WorkerChannel): void {
    // Weakly: the channel outlives a dropped hasher (the finalizer that closes it holds it), and must not keep it alive.
    const hasher = new WeakRef<OffloadedHasher>(this);
    const resumable = this.options.resume !== undefined;
    channel.onFailure = (_error, resumption) => {
      if (resumption && resumable) hasher.deref()?.recover(resumption);
    };
    // The copies are this hasher's own: they are sent as they are, not copied again.
    for (const copy of this.copies) channel.send(copy);
    this.copies = [];
    this.local = undefined;
    this.starting = undefined;
    this.channel = channel;
  }

  /** Carries the hash on locally from where the failed worker left it. */
  private recover({ state, bytes }: Resumption): void {
    abandoned.unregister(this);
    this.channel = undefined;
    this.threshold = Number.POSITIVE_INFINITY;
    this.recovering = (async () => {
      const local = state
        ? await this.options.resume!(this.algorithm, state)
        : await this.options.local(this.algorithm);
      for (const piece of bytes) await local.update(piece);
      this.local = local;
    })();
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
  return async (algorithm) =>
    new OffloadedHasher(algorithm, await options.local(algorithm), options.threshold, guarded);
}
