/**
 * Writing into one upload session and surviving failures: after a failed PATCH or PUT, ask the session what it holds
 * and go on from there.
 * @module
 */
import { uploadTraitsOf } from "./upload-traits";
import { NetworkError } from "../errors/network-error";
import { RegistryError } from "../errors/registry-error";
import { UploadInterruptedError } from "../errors/upload-interrupted-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { isRetryable } from "../http/retry-policy";
import { sleep, throwIfAborted } from "../utils/abort";
import { blobExists } from "./blobs";
import type { ContentContext } from "./context";
import { refusalOf, UploadStrategyRefused } from "./upload-refusal";
import { UploadSessionLost, type PatchBody, type StreamedBody, type UploadSession } from "./upload-session";

/** Statuses of an upload request that say "ask where the session stands": it may have partly arrived, or it raced. */
const OUT_OF_STEP_STATUSES = new Set([404, 416]);

/** Resumes left for a whole upload, restarts included: one budget however the failures fall. */
export interface ResumeBudget {
  resumes: number;
}

/**
 * Sends the bytes of one session and survives failures: after a failed PATCH or PUT it asks the session for the
 * bytes the registry holds (`GET` → `Range`) and sends on from there. A registry that no longer knows the session
 * surfaces as {@link UploadSessionLost}, one that refuses how the bytes are sent as {@link UploadStrategyRefused}.
 */
export class SessionWriter {
  /** Bytes the registry has confirmed so far. */
  confirmed = 0;
  /** PATCHes the registry accepted in this session. */
  patches = 0;
  #failuresInARow = 0;
  #ambiguousGuesses = 0;
  /** The last status answer (`GET` of the session), which every resume point comes from. */
  #statusAnswer: { statusCode: number; url: string } | undefined;

  constructor(
    private readonly context: ContentContext,
    private readonly repository: string,
    private readonly session: UploadSession,
    private readonly budget: ResumeBudget,
    private readonly signal: AbortSignal | undefined,
    /**
     * The blob being sent, when its slices should be the request bodies: a browser streams a Blob from disk, where a
     * byte array body is copied on the page's thread (long tasks, a third of the throughput).
     */
    private readonly blob?: Blob,
  ) {}

  /**
   * Sends `chunk`, which starts at byte `start` of the blob, from its byte `from` on, in PATCHes no larger than the
   * registry takes (a 413 halves them).
   */
  async appendChunk(chunk: Uint8Array, start: number, from = 0): Promise<void> {
    const traits = uploadTraitsOf(this.context);
    let sentFrom = from;
    while (sentFrom < chunk.byteLength) {
      throwIfAborted(this.signal);
      const piece = chunk.subarray(sentFrom, sentFrom + Math.min(chunk.byteLength - sentFrom, traits.maxRequestBody));
      try {
        const from = start + sentFrom;
        const body = this.blob ? this.blob.slice(from, from + piece.byteLength) : piece;
        await this.session.append(body, from, piece.byteLength, this.signal);
        this.#accepted(start + sentFrom + piece.byteLength);
        sentFrom += piece.byteLength;
        continue;
      } catch (error) {
        const firstBytes = start + sentFrom === 0 && this.confirmed === 0;
        const refusal = refusalOf(error, piece.byteLength, piece.byteLength < this.session.minChunkLength, firstBytes);
        if (refusal?.kind === "too-large" && piece.byteLength > 1) {
          // The registry takes smaller requests: remember its limit and send this chunk in pieces it takes.
          traits.refusedBody(piece.byteLength, refusal.limit);
          continue;
        } else if (refusal) throw refusal;
        sentFrom = (await this.#resumePoint(error, start, start + sentFrom)) - start;
        if (sentFrom < 0 || sentFrom > chunk.byteLength) throw this.#lostBytes(start + sentFrom);
      }
    }
    this.#failuresInARow = 0;
  }

  /**
   * Streams the blob's bytes from `from` to `size` (undefined: to the end of the body), each attempt in one PATCH
   * whose body `bodyFrom(offset)` makes; after a failure it goes on from the byte the registry holds (`bodyFrom`
   * throws where the source cannot be read again from there).
   */
  async appendStream(
    from: number,
    size: number | undefined,
    bodyFrom: (offset: number) => PatchBody | Promise<PatchBody>,
  ): Promise<void> {
    let offset = from;
    for (;;) {
      throwIfAborted(this.signal);
      try {
        const body = await bodyFrom(offset);
        await this.session.append(body, offset, size === undefined ? undefined : size - offset, this.signal);
        this.#accepted(size ?? this.confirmed);
        this.#failuresInARow = 0;
        return;
      } catch (error) {
        const refusal = refusalOf(
          error,
          size === undefined ? undefined : size - offset,
          false,
          offset === 0 && this.confirmed === 0,
        );
        if (refusal) throw refusal;
        offset = await this.#resumePoint(error, from, offset);
      }
    }
  }

  /**
   * Completes the session (`PUT ?digest=`), with `body` as the last bytes (starting at `total - body.length`) or none;
   * `total` is the blob's size. A PUT whose answer is lost is checked with a HEAD of the blob: if the blob exists,
   * the upload succeeded. Returns the registry's digest when it said one.
   */
  async complete(digest: string, total: number, body?: Uint8Array): Promise<string | undefined> {
    let last = body;
    for (;;) {
      throwIfAborted(this.signal);
      try {
        return await this.session.complete(digest, this.signal, last);
      } catch (error) {
        const refusal =
          last && refusalOf(error, last.byteLength, false, total === last.byteLength && this.confirmed === 0);
        if (last && refusal?.kind === "too-large") {
          // Send the last bytes as chunks the registry takes, then close the session empty.
          uploadTraitsOf(this.context).refusedBody(last.byteLength, refusal.limit);
          await this.appendChunk(last, total - last.byteLength);
          last = undefined;
          continue;
        }
        if (!isResumable(error, this.signal)) throw error;
        if (await blobExists(this.context, this.repository, digest, { signal: this.signal })) return undefined;
        const start = total - (last?.byteLength ?? 0);
        const held = await this.#resumePoint(error, start, start);
        if (last) {
          // The PUT may have delivered part of its body: send the rest as a chunk, then complete empty.
          if (held < start || held > total) throw this.#lostBytes(held);
          if (held < total) await this.appendChunk(last, start, held - start);
          last = undefined;
        } else if (held !== total) {
          throw this.#lostBytes(held);
        }
      }
    }
  }

  /**
   * Completes the session with the whole blob streamed in the PUT. The stream is read once: a failed PUT whose answer
   * was lost is settled by a HEAD of the blob; one that can be tried again ends in {@link UploadInterruptedError}
   * (`source-not-rereadable`), and a refusal surfaces (a 413 as {@link UploadStrategyRefused}).
   */
  async completeStreamed(digest: string, body: StreamedBody): Promise<string | undefined> {
    throwIfAborted(this.signal);
    try {
      return await this.session.complete(digest, this.signal, body);
    } catch (error) {
      const refusal = refusalOf(error, body.length, false, true);
      if (refusal?.kind === "too-large") throw refusal;
      if (!isResumable(error, this.signal)) throw error;
      if (await blobExists(this.context, this.repository, digest, { signal: this.signal })) return undefined;
      // What the PUT took of the stream is gone with it: the caller may read its source anew (a copy downloads again).
      throw new UploadInterruptedError("source-not-rereadable", this.repository, 0, { cause: error });
    }
  }

  #accepted(end: number): void {
    this.confirmed = end;
    this.patches++;
    if (this.patches >= 2) uploadTraitsOf(this.context).acceptedSecondPatch();
  }

  /**
   * Waits (backoff from the client's retry policy), asks the session what it holds and returns that offset; rethrows
   * what cannot be resumed. `start` is where the failed request's bytes begin and `sentFrom` where this attempt began
   * sending: a 416 on a request that continues a session, with the registry holding exactly what it had, is a registry
   * that takes one request with bytes per session.
   */
  async #resumePoint(error: unknown, start: number, sentFrom: number): Promise<number> {
    if (!isResumable(error, this.signal) || this.budget.resumes <= 0) throw error;
    this.budget.resumes--;
    this.#failuresInARow++;
    await sleep(this.context.retry.backoff(this.#failuresInARow), this.signal);
    let status: Awaited<ReturnType<UploadSession["status"]>>;
    try {
      status = await this.session.status(this.signal);
    } catch (statusError) {
      if (statusError instanceof UploadSessionLost) statusError.confirmed = this.confirmed;
      throw statusError;
    }
    this.#statusAnswer = status.answer;
    if (error instanceof RegistryError && error.statusCode === 416 && sentFrom > 0 && status.held === sentFrom) {
      throw new UploadStrategyRefused("single-request", undefined, error);
    }
    if (!status.ambiguous) return status.held;
    // `Range: 0-0` is an empty session or one byte: past the first byte, one byte is the only reading that can
    // continue; at the very start, try both readings in turn (the registry answers 416 to the wrong one).
    return start >= 1 ? 1 : this.#ambiguousGuesses++ % 2;
  }

  /** The session lost as the status answer showed: the error names that answer (status, URL), never one of ours. */
  #lostBytes(held: number): UploadSessionLost {
    const { statusCode, url } = this.#statusAnswer!;
    const lost = new UploadSessionLost(
      new RegistryError({
        statusCode,
        method: "GET",
        url,
        message: `GET ${url}: the registry answered ${statusCode} holding ${held} bytes of the upload, which does not continue the ${this.confirmed} bytes it had confirmed`,
      }),
    );
    lost.confirmed = this.confirmed;
    return lost;
  }
}

/** A failure that asking the session can answer: no answer at all, a transient answer, or an out-of-step one. */
function isResumable(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return false;
  if (error instanceof NetworkError) return true;
  if (!(error instanceof RegistryError)) return false;
  return (
    isRetryable({ status: error.statusCode, retryAfter: null }) ||
    OUT_OF_STEP_STATUSES.has(error.statusCode) ||
    (error.statusCode === 400 && error.hasCode(OciErrorCode.BLOB_UPLOAD_INVALID))
  );
}
