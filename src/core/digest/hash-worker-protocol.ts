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
  /** Bytes to hash, `length` bytes from `offset` in `buffer` (transferred); the buffer comes back in `returned`. */
  | { type: "bytes"; buffer: ArrayBuffer; offset: number; length: number }
  /** No more bytes: answer with the digest. */
  | { type: "finish" };

/** A message from a hash worker. */
export type FromHashWorker =
  /** A buffer of `bytes`, hashed and transferred back for reuse. */
  | { type: "returned"; buffer: ArrayBuffer; length: number }
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
   * for (a HashingError either way).
   */
  listen(onMessage: (message: FromHashWorker) => void, onFailure: (error: Error) => void): void;
  /**
   * Whether the worker may keep its process alive: only while an answer is awaited, so that an idle or abandoned
   * worker never holds a process open. A no-op where workers never do (browsers).
   */
  hold(held: boolean): void;
  /** Ends the worker. */
  terminate(): void;
  /** Whether the worker has failed already (its script could not be loaded, say): then the hash stays local. */
  failed(): boolean;
}
