/**
 * `uploadBlob`: monolithic for one chunk, chunked beyond, hashed as the bytes go out, and resumed after failures
 * from the bytes the registry says it holds.
 * @module
 */
import { digestOf, finishDigest } from "../digest/hasher";
import { DigestValidationError } from "../errors/digest-validation-error";
import { UploadInterruptedError } from "../errors/upload-interrupted-error";
import type { OperationOptions } from "../registry/context";
import { raceSignal, throwIfAborted } from "../utils/abort";
import { blobExists } from "./blobs";
import { toChunkedSource, type BlobSource, type ChunkedSource } from "./blob-source";
import type { ContentContext, TransferProgress } from "./context";
import { ChunkSender } from "./upload-resume";
import { UploadSession, UploadSessionLost } from "./upload-session";

/** Options of `uploadBlob`. */
export interface UploadBlobOptions extends OperationOptions {
  /** Called after each chunk with the bytes sent so far, for the whole blob. */
  onProgress?: (progress: TransferProgress) => void;
  /** Bytes per request; the client's `chunkSize` by default. */
  chunkSize?: number;
  /**
   * How many failed requests (a cut connection, a 5xx, a timeout) the upload survives by asking the registry what it
   * holds and going on from there. Default 10.
   */
  maxResumes?: number;
}

/** The uploaded blob's digest and size. */
export interface UploadBlobResult {
  /** The blob's `sha256:` digest, computed from the bytes sent and matching the registry's when it reports one. */
  digest: string;
  /** The blob's size in bytes. */
  size: number;
}

/** The largest chunk acrkit sends in one request: Node's fetch holds a whole request body in memory. */
export const MAX_CHUNK_SIZE = 512 * 1024 * 1024;

/**
 * Uploads a blob and returns its digest, after checking it against the registry's.
 *
 * A failed PATCH or PUT is resumed from the last byte the registry holds (never from byte 0). Only when the
 * registry has lost the session does the upload start over, once, and only from a source that can be read again;
 * a one-shot stream then fails with {@link UploadInterruptedError}.
 */
export async function uploadBlob(
  context: ContentContext,
  repository: string,
  data: BlobSource,
  options: UploadBlobOptions = {},
): Promise<UploadBlobResult> {
  const chunkSize = checkedChunkSize(options.chunkSize ?? context.chunkSize);
  const maxResumes = options.maxResumes ?? 10;
  if (!Number.isSafeInteger(maxResumes) || maxResumes < 0) throw new RangeError(`maxResumes must be a non-negative integer, got ${String(maxResumes)}`);
  const source = toChunkedSource(data);
  throwIfAborted(options.signal);
  const budget = { resumes: maxResumes };
  for (let restarted = false; ; restarted = true) {
    try {
      return await uploadOnce(context, repository, source, chunkSize, budget, options);
    } catch (error) {
      if (!(error instanceof UploadSessionLost)) throw error;
      const confirmed = error.confirmed ?? 0;
      if (!source.rereadable) throw new UploadInterruptedError("source-not-rereadable", repository, confirmed, { cause: error.answer });
      if (restarted) throw new UploadInterruptedError("session-lost", repository, confirmed, { cause: error.answer });
      // The registry forgot the session: start over from byte 0, with a new session and a new hash, once.
    }
  }
}

async function uploadOnce(
  context: ContentContext,
  repository: string,
  source: ChunkedSource,
  chunkSize: number,
  budget: { resumes: number },
  options: UploadBlobOptions,
): Promise<UploadBlobResult> {
  // A stream's total is unknown until it ends; the last event then says it, so progress always ends at the total.
  const report = (loaded: number, total = source.size) => options.onProgress?.({ loaded, total });
  const chunks = source.chunks(chunkSize)[Symbol.asyncIterator]();
  // A stalled source must not outlive an abort: the signal settles the wait, release() below ends the read.
  const next = () => raceSignal(chunks.next(), options.signal);
  try {
    const first = await next();
    const firstChunk = first.done ? new Uint8Array(0) : first.value;
    // One step of lookahead tells whether the blob fits one request, even for a stream of unknown size.
    const second = first.done ? first : await next();

    if (second.done) {
      const digest = await digestOf(context.hasherFactory, "sha256", firstChunk);
      // Content already in memory costs one HEAD to skip a transfer the registry does not need.
      if (await blobExists(context, repository, digest, options)) {
        report(firstChunk.byteLength, firstChunk.byteLength);
        return { digest, size: firstChunk.byteLength };
      }
      return await withSession(context, repository, options, async (session) => {
        const sender = new ChunkSender(context, repository, session, budget, options.signal);
        const serverDigest = await sender.complete(digest, firstChunk.byteLength, firstChunk);
        report(firstChunk.byteLength, firstChunk.byteLength);
        return verified(digest, serverDigest, firstChunk.byteLength);
      });
    }

    // The hash follows the source, which each session reads exactly once: a chunk resumed part-way is re-sent from
    // memory and not hashed again, and a restart starts a new hash with a new session.
    const hasher = await context.hasherFactory("sha256");
    return await withSession(context, repository, options, async (session) => {
      const sender = new ChunkSender(context, repository, session, budget, options.signal);
      let offset = 0;
      const send = async (chunk: Uint8Array) => {
        throwIfAborted(options.signal);
        const sending = sender.append(chunk, offset);
        // Hashing runs while the chunk is on the wire.
        await Promise.all([sending, hasher.update(chunk)]);
        offset += chunk.byteLength;
        report(offset);
      };
      await send(firstChunk);
      // Each next chunk is read while the current one is on the wire (into the buffer of the one before, already sent).
      for (let chunk: IteratorResult<Uint8Array> = second; !chunk.done; ) {
        const following = next();
        following.catch(() => undefined); // a failed send below reports the error; this read is then abandoned
        await send(chunk.value);
        chunk = await following;
      }
      const digest = await finishDigest("sha256", hasher);
      const result = verified(digest, await sender.complete(digest, offset), offset);
      if (source.size === undefined) report(offset, offset);
      return result;
    });
  } finally {
    // Releases a caller's stream when the upload stops early. After an abort a read may still be pending on a
    // stalled source: release() ends it, and return() is not awaited, since it queues behind that read.
    if (options.signal?.aborted) {
      await source.release(options.signal.reason);
      void chunks.return?.()?.catch(() => undefined);
    } else {
      await chunks.return?.();
    }
  }
}

async function withSession<T>(
  context: ContentContext,
  repository: string,
  options: OperationOptions,
  work: (session: UploadSession) => Promise<T>,
): Promise<T> {
  const session = await UploadSession.start(context, repository, options.signal);
  try {
    return await work(session);
  } catch (error) {
    // Nothing is left half-done: an upload that failed or was aborted releases its session. An aborted caller is
    // answered at once; the DELETE (bounded, best effort) finishes on its own.
    const cancelling = session.cancel();
    if (!options.signal?.aborted) await cancelling;
    throw error;
  }
}

function verified(digest: string, serverDigest: string | undefined, size: number): UploadBlobResult {
  if (serverDigest !== undefined && serverDigest !== digest) {
    throw new DigestValidationError(digest, serverDigest, `The registry computed ${serverDigest} for the uploaded blob, but its content is ${digest}`);
  }
  return { digest, size };
}

function checkedChunkSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunkSize must be an integer from 1 to ${MAX_CHUNK_SIZE}, got ${String(size)}`);
  }
  return size;
}
