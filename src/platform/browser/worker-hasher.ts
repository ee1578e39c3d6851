/**
 * acrkit/browser's hasher for large transfers: hash-wasm in a Web Worker, so that hashing a large `File` upload or a
 * download does not block the page's main thread (WebAssembly hashes about 250 MB/s: 8 MiB is a 30 ms task). Inputs
 * up to a threshold are hashed on the main thread, as before.
 * @module
 */
import type { FromHashWorker, HashWorkerPort, ToHashWorker } from "../../core/digest/hash-worker-protocol";
import type { HasherFactory } from "../../core/digest/hasher";
import { offloadingHasherFactory } from "../../core/digest/offloaded-hasher";
import { resumeWasmHasher, wasmHasherFactory } from "../../core/digest/wasm-hasher";
import { HashingError } from "../../core/errors/hashing-error";

/** Bytes hashed on the main thread before the rest of a transfer moves to a Web Worker, by default. */
export const DEFAULT_BROWSER_WORKER_HASH_THRESHOLD = 4 * 1024 * 1024;

/** Options of {@link createBrowserWorkerHasherFactory}. */
export interface BrowserWorkerHasherOptions {
  /** Bytes hashed on the main thread before a worker takes over; 0 sends everything to a worker. */
  threshold?: number;
  /**
   * Starts the worker, for pages whose bundler or Content Security Policy needs it started another way; by default
   * `browser-hash-worker.js` next to this module, as a module worker.
   */
  createWorker?: () => Worker;
  /**
   * Milliseconds a worker that owes an answer may stay silent before the page hashes by itself (a worker that
   * closed itself or was ended gives no other sign). Default 10 000.
   */
  stallMs?: number;
}

class WebHashWorker implements HashWorkerPort {
  /** A failure before anyone listened (the worker is started ahead of use), delivered when someone does. */
  private failure: HashingError | undefined;
  private onFailure: ((error: Error) => void) | undefined;

  constructor(private readonly worker: Worker) {
    worker.onerror = (event: ErrorEvent) => {
      // Handled here: the page's console does not need a second report of it.
      event.preventDefault();
      this.fail(new HashingError("worker-failed", event.message || "the worker script could not be loaded or threw"));
    };
    worker.onmessageerror = () => this.fail(new HashingError("worker-failed", "a message could not be read"));
  }

  post(message: ToHashWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  listen(onMessage: (message: FromHashWorker) => void, onFailure: (error: Error) => void): void {
    this.worker.onmessage = (event: MessageEvent<FromHashWorker>) => onMessage(event.data);
    this.onFailure = onFailure;
    if (this.failure) onFailure(this.failure);
  }

  hold(): void {
    // A page is not kept open by its workers: nothing to do.
  }

  terminate(): void {
    this.worker.terminate();
  }

  private fail(error: HashingError): void {
    this.failure ??= error;
    this.onFailure?.(error);
  }
}

/** The worker next to this module, in the form bundlers (Vite, webpack, Parcel) recognise and bundle. */
function defaultWorker(): Worker {
  return new Worker(new URL("./browser-hash-worker.js", import.meta.url), { type: "module" });
}

function startWebHashWorker(createWorker: () => Worker): HashWorkerPort | undefined {
  if (typeof Worker === "undefined") return undefined;
  try {
    return new WebHashWorker(createWorker());
  } catch {
    // No import.meta.url (a CommonJS bundle), or a policy that forbids workers: hash on the main thread.
    return undefined;
  }
}

/**
 * A hasher factory that hashes with hash-wasm on the main thread up to `threshold` bytes and in a Web Worker beyond.
 * Its hashers' `update` and `digestHex` return promises once a worker is in use. A worker that is missing, throws,
 * is forbidden or dies never fails a hash: the main thread carries on from the worker's last saved state.
 */
export function createBrowserWorkerHasherFactory(options: BrowserWorkerHasherOptions = {}): HasherFactory {
  const threshold = options.threshold ?? DEFAULT_BROWSER_WORKER_HASH_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 0)
    throw new RangeError(`threshold must be a non-negative integer, got ${String(threshold)}`);
  const createWorker = options.createWorker ?? defaultWorker;
  return offloadingHasherFactory({
    threshold,
    local: wasmHasherFactory,
    resume: resumeWasmHasher,
    startWorker: () => startWebHashWorker(createWorker),
    ...(options.stallMs === undefined ? {} : { stallMs: options.stallMs }),
  });
}

/** acrkit/browser's default: hash-wasm, in a Web Worker for transfers beyond {@link DEFAULT_BROWSER_WORKER_HASH_THRESHOLD}. */
export const browserWorkerHasherFactory: HasherFactory = createBrowserWorkerHasherFactory();
