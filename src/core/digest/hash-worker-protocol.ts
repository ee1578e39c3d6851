/**
 * What an offloading hasher and its worker say to each other, and the worker as the hasher sees it. The platform
 * adapters (worker_threads in Node, Web Workers in browsers) implement the port; the worker scripts the other side.
 * @module
 */
import type { DigestAlgorithm } from "../grammar/digest";

/** A message to a hash worker. */
export type ToHashWorker =
  /** The first message: which algorithm to hash with. */
  | { type: "start"; algorithm: DigestAlgorithm }
  /**
   * Bytes to hash, `length` bytes from `offset` in `buffer` (transferred, or copied when the hasher keeps its own
   * until the worker has hashed them); the buffer comes back in `returned`.
   */
  | { type: "bytes"; buffer: ArrayBuffer; offset: number; length: number }
  /** No more bytes: answer with the digest. */
  | { type: "finish" };

/** A message from a hash worker. */
export type FromHashWorker =
  /**
   * The worker's first message, once its script and its hash have loaded: until it comes, the hasher keeps hashing
   * locally. `resumable` says that every `returned` carries the hash's saved state.
   */
  | { type: "ready"; resumable: boolean }
  /**
   * A buffer of `bytes`, hashed and transferred back for reuse; `state` is the hash's saved state after it (hash-wasm's
   * `save()`), from which a local hasher carries on should the worker fail later.
   */
  | { type: "returned"; buffer: ArrayBuffer; length: number; state?: Uint8Array }
  /** The lowercase hex digest, the answer to `finish`. */
  | { type: "digest"; hex: string }
  /** Hashing failed (an unknown algorithm, an internal error). */
  | { type: "failed"; message: string };

/** A running hash worker. */
export interface HashWorkerPort {
  /** Sends a message, transferring the listed buffers. */
  post(message: ToHashWorker, transfer?: ArrayBuffer[]): void;
  /**
   * Registers the handlers of the worker's messages and of its failure: an error, or an end the hasher did not ask
   * for (a HashingError either way). A failure that came before is delivered at once.
   */
  listen(onMessage: (message: FromHashWorker) => void, onFailure: (error: Error) => void): void;
  /**
   * Whether the worker may keep its process alive: only while an answer is awaited, so that an idle or abandoned
   * worker never holds a process open. A no-op where workers never do (browsers).
   */
  hold(held: boolean): void;
  /** Ends the worker. */
  terminate(): void;
}
