import { AcrkitError } from "./acrkit-error";

/** Why a digest could not be computed. */
export type HashingErrorReason =
  /** The hashing worker reported an error (an algorithm it does not know, an internal failure). */
  | "worker-failed"
  /** The hashing worker stopped before it answered: it crashed, or its runtime ended it. */
  | "worker-stopped";

/**
 * A digest that could not be computed because the worker hashing a large transfer failed. The transfer that
 * needed the digest fails with it; nothing was verified or committed on a digest that does not exist.
 */
export class HashingError extends AcrkitError {
  /** Always `"HashingError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "HashingError";

  /**
   * @param reason - what went wrong with the worker
   * @param detail - the worker's own message, or how it stopped
   * @param options - the worker's error, as `cause`
   */
  constructor(
    readonly reason: HashingErrorReason,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      reason === "worker-failed"
        ? `The hashing worker failed: ${detail}`
        : `The hashing worker stopped before it computed the digest: ${detail}`,
      options,
    );
  }
}
