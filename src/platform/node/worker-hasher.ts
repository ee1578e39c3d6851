/**
 * acrkit/node's hasher for large transfers: node:crypto on a worker thread, so that a verified download or an upload
 * is not received, sent and hashed by one thread. Inputs up to a threshold are hashed on the calling thread, as
 * before: a worker costs a thread's start-up, which only a large transfer repays.
 * @module
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FromHashWorker, HashWorkerPort, ToHashWorker } from "../../core/digest/hash-worker-protocol";
import type { HasherFactory } from "../../core/digest/hasher";
import { offloadingHasherFactory } from "../../core/digest/offloaded-hasher";
import { HashingError } from "../../core/errors/hashing-error";
import { nativeHasherFactory } from "./native-hasher";

/**
 * Bytes hashed on the calling thread before the rest of a transfer moves to a worker thread, by default. Chosen by
 * measurement (bench/README.md, "Chosen: worker hasher threshold").
 */
export const DEFAULT_WORKER_HASH_THRESHOLD = 8 * 1024 * 1024;

/** Options of {@link createWorkerHasherFactory}. */
export interface WorkerHasherOptions {
  /** Bytes hashed on the calling thread before a worker takes over; 0 sends everything to a worker. */
  threshold?: number;
  /**
   * The worker script, `node-hash-worker.js` from acrkit's dist/, for a bundle that moved it; next to this module by
   * default. Without a script (not shipped, not found) every hash stays on the calling thread.
   */
  script?: URL;
}

class NodeHashWorker implements HashWorkerPort {
  private ended = false;
  /** A failure before anyone listened (the worker is started ahead of use), delivered when someone does. */
  private failure: HashingError | undefined;
  private onFailure: ((error: Error) => void) | undefined;

  constructor(private readonly worker: Worker) {
    // Idle, a hashing worker must never keep the process alive; the hasher holds it only while awaiting an answer.
    worker.unref();
    // Listened to from the start: an 'error' event without a listener would be thrown in this thread.
    worker.on("error", (error) => this.fail(new HashingError("worker-failed", error.message, { cause: error })));
    worker.on("exit", (code) => {
      if (!this.ended) this.fail(new HashingError("worker-stopped", `exit code ${code}`));
    });
  }

  post(message: ToHashWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }

  listen(onMessage: (message: FromHashWorker) => void, onFailure: (error: Error) => void): void {
    this.worker.on("message", onMessage);
    // A 'message' listener refs the worker again; it is held only while an answer is awaited (hold).
    this.worker.unref();
    this.onFailure = onFailure;
    if (this.failure) onFailure(this.failure);
  }

  hold(held: boolean): void {
    if (held) this.worker.ref();
    else this.worker.unref();
  }

  terminate(): void {
    if (this.ended) return;
    this.ended = true;
    void this.worker.terminate();
  }

  private fail(error: HashingError): void {
    this.failure ??= error;
    this.onFailure?.(error);
  }
}

/**
 * Where the worker script is: next to this module, in the sources (src/platform/node/) as in dist/, where the build
 * copies it. The CommonJS build has no `import.meta.url`, but `__filename`.
 */
function defaultWorkerScript(): URL | undefined {
  const here = typeof __filename === "string" ? pathToFileURL(__filename).href : import.meta.url;
  return here ? new URL("./node-hash-worker.js", here) : undefined;
}

/** The script if it is a file that exists; checked once, when the factory is made. */
function existing(script: URL | undefined): URL | undefined {
  return script?.protocol === "file:" && existsSync(script) ? script : undefined;
}

/** Starts a hashing worker thread, or answers `undefined` where none can start (the script was not shipped). */
function startNodeHashWorker(script: URL | undefined): HashWorkerPort | undefined {
  if (!script) return undefined;
  try {
    // No inherited execArgv: the worker is plain JavaScript and needs no loader, --inspect or the like.
    return new NodeHashWorker(new Worker(script, { execArgv: [], stdout: false, stderr: false }));
  } catch {
    return undefined;
  }
}

/**
 * A hasher factory that hashes with node:crypto on the calling thread up to `threshold` bytes and on a worker
 * thread beyond. Its hashers' `update` and `digestHex` return promises once a worker is in use.
 */
export function createWorkerHasherFactory(options: WorkerHasherOptions = {}): HasherFactory {
  const threshold = options.threshold ?? DEFAULT_WORKER_HASH_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 0)
    throw new RangeError(`threshold must be a non-negative integer, got ${String(threshold)}`);
  const script = existing(options.script ?? defaultWorkerScript());
  return offloadingHasherFactory({
    threshold,
    local: nativeHasherFactory,
    startWorker: () => startNodeHashWorker(script),
  });
}

/** acrkit/node's default: node:crypto, on a worker thread for transfers beyond {@link DEFAULT_WORKER_HASH_THRESHOLD}. */
export const workerHasherFactory: HasherFactory = createWorkerHasherFactory();
