/**
 * Resuming an upload after a failed request: ask the session what it holds, go on from there.
 * @module
 */
import { NetworkError } from "../errors/network-error";
import { RegistryError } from "../errors/registry-error";
import { sleep, throwIfAborted } from "../utils/abort";
import { blobExists } from "./blobs";
import type { ContentContext } from "./context";
import { UploadSessionLost, type UploadSession } from "./upload-session";

/** Statuses after which a chunk is worth resuming: the request may have partly arrived, or the registry was busy. */
const RESUMABLE_STATUSES = new Set([404, 408, 416, 429, 500, 502, 503, 504]);
/** The first wait before asking a registry that just failed where the upload stands; it doubles per failure in a row. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * Sends the chunks of one session and survives failures: after a failed PATCH or PUT it asks the session for the
 * bytes the registry holds (`GET` → `Range`) and re-sends only the rest of the chunk, which is still in memory.
 * A registry that no longer knows the session surfaces as {@link UploadSessionLost}, for the caller to start over.
 */
export class ChunkSender {
  /** Bytes the registry has confirmed so far. */
  confirmed = 0;
  #failuresInARow = 0;
  #ambiguousGuesses = 0;

  constructor(
    private readonly context: ContentContext,
    private readonly repository: string,
    private readonly session: UploadSession,
    /** Resumes left for the whole upload, shared across a restart. */
    private readonly budget: { resumes: number },
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Sends `chunk`, which starts at byte `start` of the blob, from its byte `from` on. */
  async append(chunk: Uint8Array, start: number, from = 0): Promise<void> {
    let sentFrom = from;
    while (sentFrom < chunk.byteLength) {
      throwIfAborted(this.signal);
      try {
        await this.session.append(sentFrom === 0 ? chunk : chunk.subarray(sentFrom), start + sentFrom, this.signal);
        sentFrom = chunk.byteLength;
      } catch (error) {
        const held = await this.#recover(error, start);
        if (held < start || held > start + chunk.byteLength) throw this.#lostBytes(held);
        sentFrom = held - start;
      }
    }
    this.#failuresInARow = 0;
    this.confirmed = start + chunk.byteLength;
  }

  /**
   * Completes the session (`PUT ?digest=`), with `body` as the last bytes (the whole blob of a monolithic upload) or
   * none; `total` is the blob's size. A PUT whose answer is lost is checked with a HEAD of the blob: if the blob
   * exists, the upload succeeded. Returns the registry's digest when it said one.
   */
  async complete(digest: string, total: number, body?: Uint8Array): Promise<string | undefined> {
    let last = body;
    for (;;) {
      throwIfAborted(this.signal);
      try {
        return await this.session.complete(digest, this.signal, last);
      } catch (error) {
        if (!isResumable(error, this.signal)) throw error;
        if (await blobExists(this.context, this.repository, digest, { signal: this.signal })) return undefined;
        const held = await this.#recover(error, 0);
        if (last) {
          // A monolithic PUT may have delivered part of its body: send the rest as a chunk, then complete empty.
          if (held > last.byteLength) throw this.#lostBytes(held);
          if (held < last.byteLength) await this.append(last, 0, held);
          last = undefined;
        } else if (held !== total) {
          throw this.#lostBytes(held);
        }
      }
    }
  }

  /** Waits, asks the session what it holds and returns that offset; rethrows what cannot be resumed. */
  async #recover(error: unknown, start: number): Promise<number> {
    if (!isResumable(error, this.signal) || this.budget.resumes <= 0) throw error;
    this.budget.resumes--;
    this.#failuresInARow++;
    const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.#failuresInARow - 1));
    // Jitter spreads the retries of many uploads that failed together (a registry restart, say).
    await sleep(backoff / 2 + Math.random() * (backoff / 2), this.signal);
    let status: { held: number; ambiguous: boolean };
    try {
      status = await this.session.status(this.signal);
    } catch (statusError) {
      if (statusError instanceof UploadSessionLost) statusError.confirmed = this.confirmed;
      throw statusError;
    }
    if (!status.ambiguous) return status.held;
    // `Range: 0-0` is an empty session or one byte: past the first byte, one byte is the only reading that can
    // continue; at the very start, try both readings in turn (the registry answers 416 to the wrong one).
    return start >= 1 ? 1 : this.#ambiguousGuesses++ % 2;
  }

  #lostBytes(held: number): UploadSessionLost {
    const lost = new UploadSessionLost(
      new RegistryError({
        statusCode: 416,
        method: "GET",
        url: "",
        message: `The registry holds ${held} bytes of the upload, which does not continue the ${this.confirmed} bytes it had confirmed`,
      }),
    );
    lost.confirmed = this.confirmed;
    return lost;
  }
}

/** A failure that resuming can answer: no answer at all, or a transient or out-of-step answer from the registry. */
function isResumable(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return false;
  if (error instanceof NetworkError) return true;
  if (!(error instanceof RegistryError)) return false;
  return RESUMABLE_STATUSES.has(error.statusCode) || (error.statusCode === 400 && error.code === "BLOB_UPLOAD_INVALID");
}
