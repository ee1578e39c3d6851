/**
 * `uploadBlob`: one request for the data wherever the registry takes it, chunks where they are needed, hashed as the
 * bytes go out, resumed after failures from the bytes the registry holds, and started over where it lost them.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { finishDigest, digestOf, type Hasher } from "../digest/hasher";
import { DigestValidationError } from "../errors/digest-validation-error";
import { RegistryError } from "../errors/registry-error";
import { UploadInterruptedError } from "../errors/upload-interrupted-error";
import { isBrowserLike } from "../http/user-agent";
import type { OperationOptions } from "../operation-context";
import { raceSignal, sleep, throwIfAborted } from "../utils/abort";
import { headBlob } from "./blobs";
import { toChunkedSource, type BlobSource, type ChunkedSource } from "./blob-source";
import type { ContentContext, TransferProgress } from "./context";
import { UploadStrategyRefused } from "./upload-refusal";
import { SessionWriter, type ResumeBudget } from "./upload-resume";
import { UploadSession, UploadSessionLost, type PatchBody } from "./upload-session";
import { verifiedDigestOf } from "./verified-stream";
import { uploadTraitsOf, type UploadStrategy } from "./upload-traits";

/** Options of `uploadBlob`. */
export interface UploadBlobOptions extends OperationOptions {
  /** Called with the bytes sent so far, for the whole blob: at least every chunk, or every piece of a streamed body. */
  onProgress?: (progress: TransferProgress) => void;
  /**
   * Sends the blob in chunks of this many bytes (`PATCH` with `Content-Range`). Without it (nor the client's
   * `chunkSize`), acrkit sends the blob in one request wherever the registry takes that, and uses chunks of 8 MiB
   * where they are needed: a one-shot stream, a registry that limits request bodies, a Blob in a browser.
   */
  chunkSize?: number;
  /**
   * How many failures the upload survives, from one budget: a failed request (a cut connection, a 5xx, a timeout)
   * resumed from the bytes the registry holds, or a session the registry lost, started over from a source that can be
   * read again. Default 10.
   */
  maxResumes?: number;
  /**
   * The blob's digest, when known beforehand: one HEAD before any byte skips a blob the registry already has, and the
   * bytes are checked against it before the upload is completed.
   */
  digest?: string;
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

/** The size of the pieces a streamed request body is read in. */
const STREAM_PIECE_SIZE = 2 * 1024 * 1024;
/**
 * The pieces of a PUT streamed from a one-shot source: a copy's download fills each before it goes out, so smaller
 * ones start the PUT sooner (bench/README.md, "The command line").
 */
const STREAMED_PUT_PIECE_SIZE = 512 * 1024;
/**
 * How many reused buffers a streamed request body cycles through. fetch asks for the next piece only once the one
 * before has been written to the connection (Node's undici waits for the socket to drain), so two would do; four
 * leave a margin. A piece overwritten too early could not go unnoticed: the registry checks the digest of what arrived.
 */
const STREAM_PIECE_BUFFERS = 4;

/** A browser's chunks grow until one takes about this long to send: progress at least about every second. */
const TARGET_CHUNK_MS = 1_000;
/** The largest chunk a browser's chunks grow to: its bytes are copied to the hashing worker in one task of the page. */
const MAX_BROWSER_CHUNK = 16 * 1024 * 1024;

/**
 * Uploads a blob and returns its digest, after checking it against the registry's.
 *
 * Content already in memory, or with a `digest` given, costs one HEAD to skip a blob the registry has. A failed
 * request is resumed from the last byte the registry holds; a session the registry lost is started over from a source
 * that can be read again (a one-shot stream then fails with {@link UploadInterruptedError}). A registry that refuses
 * how the blob was sent (413 for a large body, 416 on a second PATCH, 400 on a small chunk) is met with the next
 * strategy, and the client remembers it.
 */
export async function uploadBlob(
  context: ContentContext,
  repository: string,
  data: BlobSource,
  options: UploadBlobOptions = {},
): Promise<UploadBlobResult> {
  if (options.chunkSize !== undefined) checkedChunkSize(options.chunkSize);
  const maxResumes = options.maxResumes ?? 10;
  if (!Number.isSafeInteger(maxResumes) || maxResumes < 0)
    throw new RangeError(`maxResumes must be a non-negative integer, got ${String(maxResumes)}`);
  const source = toChunkedSource(data);
  try {
    throwIfAborted(options.signal);
    const known = source.bytes ? await digestOf(context.hasherFactory, "sha256", source.bytes) : options.digest;
    if (options.digest !== undefined && known !== options.digest) {
      throw new DigestValidationError(
        options.digest,
        known!,
        `The content to upload has digest ${known}, not the ${options.digest} given`,
      );
    }
    if (known !== undefined) {
      const existing = await existingBlob(context, repository, known, options);
      if (existing?.exists) {
        const size = source.size ?? existing.size ?? 0;
        options.onProgress?.({ loaded: size, total: size });
        return { digest: known, size };
      }
    }
    // A stream its producer checks against the given digest (a download being copied) is not hashed a second time.
    const verified =
      options.digest !== undefined && verifiedDigestOf((data as { stream?: unknown }).stream) === options.digest;
    const upload = new BlobUpload(
      context,
      repository,
      source,
      options,
      await context.hasherFactory("sha256"),
      { resumes: maxResumes },
      source.bytes || verified ? known : undefined,
    );
    return await upload.run();
  } finally {
    // Releases a caller's stream when the upload stops early (a pending read on a stalled source ends here too).
    if (!source.rereadable) await source.release(options.signal?.reason);
  }
}

/**
 * The HEAD that skips a blob the registry has, or undefined when the registry would not say: a HEAD redirected to
 * storage signed for GET answers 403 (registry-quirks rows 43, 60), and the upload itself then decides (a registry
 * that really refuses the push says so to its POST).
 */
async function existingBlob(
  context: ContentContext,
  repository: string,
  digest: string,
  options: OperationOptions,
): Promise<{ exists: boolean; size: number | undefined } | undefined> {
  try {
    return await headBlob(context, repository, digest, options, repositoryScope(repository, "pull", "push"));
  } catch (error) {
    if (error instanceof RegistryError && error.statusCode === 403) return undefined;
    throw error;
  }
}

/** One upload of one blob: its strategy, hash, progress and resume budget, across sessions and fallbacks. */
class BlobUpload {
  /** How many bytes from the start of the blob the hash has taken in. */
  #hashed = 0;
  #digest: string | undefined;
  #reported = -1;
  /** How many streamed request bodies were made: only the newest may read the source. */
  #bodies = 0;
  #reportedTotal: number | undefined;

  constructor(
    private readonly context: ContentContext,
    private readonly repository: string,
    private readonly source: ChunkedSource,
    private readonly options: UploadBlobOptions,
    private readonly hasher: Hasher,
    private readonly budget: ResumeBudget,
    /** The digest of content in memory or of a verified stream, known before the upload: nothing is hashed again. */
    digest: string | undefined,
  ) {
    this.#digest = digest;
  }

  async run(): Promise<UploadBlobResult> {
    for (let restarts = 1; ; restarts++) {
      const strategy = uploadTraitsOf(this.context).choose(this.source, {
        browser: isBrowserLike(),
        chunkSize: this.options.chunkSize ?? this.context.chunkSize,
        chunksRequested: this.options.chunkSize !== undefined || this.context.chunkSizeSet,
        digestKnown: this.options.digest !== undefined,
      });
      try {
        return await this.#inSession(strategy);
      } catch (error) {
        if (error instanceof UploadStrategyRefused) {
          // A fallback is one more try, from the same budget: a registry that refuses every way ends the upload.
          if (this.budget.resumes-- <= 0) throw error.answer;
          this.#learn(error);
          // A stream sent whole in the PUT was read as far as the registry took it: nothing is left to send another way.
          if (strategy === "streamed-put")
            throw new UploadInterruptedError("source-not-rereadable", this.repository, 0, { cause: error.answer });
        } else if (!(error instanceof UploadSessionLost)) throw error;
        else {
          const confirmed = error.confirmed ?? 0;
          if (!this.source.rereadable)
            throw new UploadInterruptedError("source-not-rereadable", this.repository, confirmed, {
              cause: error.answer,
            });
          // The failure that lost the session was charged to the budget when it happened; none is left for a restart.
          if (this.budget.resumes <= 0)
            throw new UploadInterruptedError("session-lost", this.repository, confirmed, { cause: error.answer });
          // The registry forgot the session: start over from byte 0, with a new session (the hash goes on).
          await sleep(this.context.retry.backoff(restarts), this.options.signal);
        }
      }
    }
  }

  /** Remembers what the registry refused, for this upload's next try and the client's later uploads. */
  #learn(refusal: UploadStrategyRefused): void {
    const traits = uploadTraitsOf(this.context);
    if (refusal.kind === "too-large") traits.refusedBody(refusal.bodyLength ?? this.source.size, refusal.limit);
    // A registry that takes one request per session, or no small chunks, gets the whole blob in one PATCH.
    else traits.refusedSecondPatch();
  }

  async #inSession(strategy: UploadStrategy): Promise<UploadBlobResult> {
    // A streamed PUT's body asks the source for its first piece while the session is opened: a source that starts a
    // download on its first read (a copy) has it under way by the time the PUT goes out.
    const streamedBody =
      strategy === "streamed-put"
        ? await this.#bodyFrom(0, { readAhead: 1, pieceSize: STREAMED_PUT_PIECE_SIZE })
        : undefined;
    let session: UploadSession;
    try {
      session = await UploadSession.start(this.context, this.repository, this.options.signal);
    } catch (error) {
      if (streamedBody instanceof ReadableStream) await streamedBody.cancel(error).catch(() => undefined);
      throw error;
    }
    const blob = isBrowserLike() ? this.source.blob : undefined;
    const writer = new SessionWriter(this.context, this.repository, session, this.budget, this.options.signal, blob);
    try {
      if (strategy === "monolithic") return await this.#monolithic(writer);
      if (strategy === "streamed-put")
        return await this.#streamedPut(writer, streamedBody as ReadableStream<Uint8Array>);
      if (strategy === "streamed") return await this.#streamed(writer);
      return await this.#chunked(session, writer);
    } catch (error) {
      // Nothing is left half-done: an upload that failed or was aborted releases its session. An aborted caller is
      // answered at once; the DELETE (bounded, best effort) finishes on its own.
      const cancelling = session.cancel();
      if (!this.options.signal?.aborted) await cancelling;
      throw error;
    }
  }

  /** The whole blob, in memory (its digest known), with the PUT that completes the session. */
  #monolithic(writer: SessionWriter): Promise<UploadBlobResult> {
    const bytes = this.source.bytes!;
    return this.#complete(writer, bytes.byteLength, bytes);
  }

  /** The whole blob in one streamed PATCH (resumed from where the registry stands), then the PUT. */
  async #streamed(writer: SessionWriter): Promise<UploadBlobResult> {
    const size = this.source.size;
    const hashing = this.#hashAlongsideBlob();
    try {
      await writer.appendStream(0, size, (offset) => this.#bodyFrom(offset));
    } finally {
      // No body of this attempt reads on, whatever comes next.
      this.#bodies++;
    }
    await hashing;
    return this.#complete(writer, size ?? this.#hashed);
  }

  /**
   * The whole blob in the PUT that completes the session, streamed from the source (hashed as fetch takes it) under
   * the digest the caller gave, which the registry checks; the hash is checked against it once the PUT is answered.
   */
  async #streamedPut(writer: SessionWriter, body: ReadableStream<Uint8Array>): Promise<UploadBlobResult> {
    const size = this.source.size!;
    const digest = this.options.digest!;
    let serverDigest: string | undefined;
    try {
      serverDigest = await writer.completeStreamed(digest, { streamed: body, length: size });
    } catch (error) {
      // A registry refuses the PUT of bytes that are not the digest given: say so as the other strategies do.
      if (this.#digest === undefined && this.#hashed === size)
        this.#checkHash(digest, await finishDigest("sha256", this.hasher));
      throw error;
    } finally {
      this.#bodies++;
    }
    // A PUT settled by a HEAD (its answer lost) may not have been read to the end here: the registry holds the blob.
    if (this.#digest === undefined && this.#hashed === size)
      this.#checkHash(digest, await finishDigest("sha256", this.hasher));
    return this.#completed(digest, size, serverDigest);
  }

  /** Keeps the digest of the bytes sent, and fails when it is not the one the caller gave. */
  /** The upload's result, once the registry took it: the digest it computed, when it sent one, must be the content's. */
  #completed(digest: string, size: number, serverDigest: string | undefined): { digest: string; size: number } {
    this.#report(size, size);
    if (serverDigest !== undefined && serverDigest !== digest) {
      throw new DigestValidationError(
        digest,
        serverDigest,
        `The registry computed ${serverDigest} for the uploaded blob, but its content is ${digest}`,
      );
    }
    return { digest, size };
  }

  #checkHash(expected: string, hashed: string): void {
    this.#digest = hashed;
    if (hashed !== expected)
      throw new DigestValidationError(
        expected,
        hashed,
        `The uploaded content has digest ${hashed}, not the ${expected} given`,
      );
  }

  /**
   * Chunks with `Content-Range`, each read while the one before is on the wire; a browser's grow to ~1 s each. A blob
   * that fits one chunk goes with the PUT alone.
   */
  async #chunked(session: UploadSession, writer: SessionWriter): Promise<UploadBlobResult> {
    const traits = uploadTraitsOf(this.context);
    const signal = this.options.signal;
    const adaptive = isBrowserLike() && this.source.rereadable && this.options.chunkSize === undefined;
    let chunkSize = traits.chunkSize(this.options.chunkSize ?? this.context.chunkSize, session.minChunkLength);
    // A one-shot stream keeps what it sent until the registry has shown it takes a second PATCH: a registry that
    // refuses one gets it all again, in one request.
    const retained = !this.source.rereadable && !traits.multiplePatchesProven ? ([] as Uint8Array[]) : undefined;
    let chunks = this.source.chunks(chunkSize, 0)[Symbol.asyncIterator]();
    const read = () => {
      const reading = raceSignal(chunks.next(), signal);
      reading.catch(() => undefined); // a failed send reports the error; a read ahead of it is then abandoned
      return reading;
    };
    let following: Promise<IteratorResult<Uint8Array>> | undefined;
    try {
      let current = await read();
      if (current.done) return await this.#complete(writer, 0, new Uint8Array(0));
      // One step of lookahead: a blob that fits one chunk goes with the PUT alone.
      following = read();
      const second = await following;
      if (second.done) {
        await this.#observe(0, current.value);
        return await this.#complete(writer, current.value.byteLength, current.value);
      }
      let offset = 0;
      for (;;) {
        const chunk = current.value;
        await this.#observe(offset, chunk);
        retained?.push(chunk.slice());
        const started = Date.now();
        const sending = writer.appendChunk(chunk, offset);
        // The next chunk is read while this one is on the wire (into the buffer of the one before, already sent).
        if (!following && !adaptive) following = read();
        await sending;
        offset += chunk.byteLength;
        this.#report(offset);
        if (retained && traits.multiplePatchesProven) retained.length = 0;
        if (adaptive && !following) {
          const grown = grownChunkSize(chunkSize, chunk.byteLength, Date.now() - started, traits.maxRequestBody);
          if (grown !== chunkSize) {
            await chunks.return?.();
            chunkSize = grown;
            chunks = this.source.chunks(chunkSize, offset)[Symbol.asyncIterator]();
          }
        }
        current = await (following ?? read());
        following = undefined;
        if (current.done) return await this.#complete(writer, offset);
      }
    } catch (error) {
      if (error instanceof UploadStrategyRefused && retained && retained.length > 0)
        await this.#giveBack(retained, following, chunks);
      throw error;
    } finally {
      if (!signal?.aborted) await chunks.return?.();
    }
  }

  /** Gives a one-shot stream back what was read of it, the chunk read ahead included, for the next strategy. */
  async #giveBack(
    retained: Uint8Array[],
    following: Promise<IteratorResult<Uint8Array>> | undefined,
    chunks: AsyncIterator<Uint8Array>,
  ): Promise<void> {
    const ahead = await following?.catch(() => undefined);
    if (ahead && !ahead.done) retained.push(ahead.value.slice());
    // Ending the read first puts back the rest of the stream's current piece; what was kept goes in front of it.
    await chunks.return?.();
    this.source.unread(retained);
  }

  /** Hashes the rest, checks the digest against the caller's, completes the session and checks the registry's. */
  async #complete(writer: SessionWriter, size: number, body?: Uint8Array): Promise<UploadBlobResult> {
    this.#digest ??= await finishDigest("sha256", this.hasher);
    const digest = this.#digest;
    if (this.options.digest !== undefined && digest !== this.options.digest) {
      throw new DigestValidationError(
        this.options.digest,
        digest,
        `The uploaded content has digest ${digest}, not the ${this.options.digest} given`,
      );
    }
    const serverDigest = await writer.complete(digest, size, body);
    return this.#completed(digest, size, serverDigest);
  }

  /**
   * The body of a streamed PATCH or PUT from `offset`: a browser sends the Blob itself (it streams it from disk);
   * elsewhere a stream of the source's bytes in pieces of `pieceSize`, hashed and reported as the network takes them,
   * `readAhead` pieces read before fetch asks (a PUT's first while its session is opened).
   */
  async #bodyFrom(offset: number, { readAhead = 0, pieceSize = STREAM_PIECE_SIZE } = {}): Promise<PatchBody> {
    const blob = this.source.blob;
    if (blob && isBrowserLike()) return offset === 0 ? blob : blob.slice(offset);
    if (!this.source.rereadable && offset > 0)
      throw new UploadInterruptedError("source-not-rereadable", this.repository, offset);
    // Browsers stream request bodies only over HTTP/2: the rest of a one-shot stream is gathered into a Blob (which
    // the browser may keep on disk) and sent as one body.
    if (isBrowserLike()) return this.#gathered();
    const pieces = this.source
      .chunks(pieceSize, this.source.rereadable ? offset : 0, STREAM_PIECE_BUFFERS)
      [Symbol.asyncIterator]();
    let position = offset;
    // A body whose request failed may still be pulled by fetch: once a newer body exists, it reads no more.
    const generation = ++this.#bodies;
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (generation !== this.#bodies) {
            void pieces.return?.();
            return controller.error(new Error("this request body was superseded"));
          }
          const { done, value } = await pieces.next();
          if (done) return controller.close();
          await this.#observe(position, value);
          position += value.byteLength;
          this.#report(position);
          controller.enqueue(value);
        },
        cancel: async () => {
          await pieces.return?.();
        },
      },
      { highWaterMark: readAhead },
    );
  }

  /** The whole of a one-shot source as a Blob, hashed and reported as it is read. */
  async #gathered(): Promise<Blob> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let position = 0;
    for await (const piece of this.source.chunks(STREAM_PIECE_SIZE, 0, 0)) {
      await this.#observe(position, piece);
      position += piece.byteLength;
      parts.push(piece as Uint8Array<ArrayBuffer>);
    }
    return new Blob(parts);
  }

  /** In a browser the Blob goes to fetch unread: its hash is taken from a read of its own, while it is sent. */
  async #hashAlongsideBlob(): Promise<void> {
    if (!this.source.blob || !isBrowserLike()) return;
    for await (const piece of this.source.chunks(STREAM_PIECE_SIZE, this.#hashed))
      await this.#observe(this.#hashed, piece);
  }

  /** Hashes the part of `bytes` (which start at `offset`) the hash has not taken in yet: a resend is not hashed twice. */
  async #observe(offset: number, bytes: Uint8Array): Promise<void> {
    const skip = this.#hashed - offset;
    if (this.#digest !== undefined || skip >= bytes.byteLength) return;
    // Counted before the hasher is awaited: a body read that overlaps this one (a request body still pulled after its
    // request failed) must see these bytes as taken, or they would be hashed twice.
    this.#hashed = offset + bytes.byteLength;
    await this.hasher.update(skip > 0 ? bytes.subarray(skip) : bytes);
  }

  #report(loaded: number, total = this.source.size): void {
    // Progress only grows: a resend or the completing PUT repeats no figure.
    if (loaded <= this.#reported && !(loaded === total && this.#reportedTotal !== total)) return;
    this.#reported = loaded;
    this.#reportedTotal = total;
    this.options.onProgress?.({ loaded, total });
  }
}

/** The next chunk size of a browser upload: grown toward {@link TARGET_CHUNK_MS} per chunk, never shrunk. */
function grownChunkSize(current: number, sent: number, elapsedMs: number, limit: number): number {
  if (sent < current || elapsedMs <= 0) return current;
  const target = Math.floor((sent / elapsedMs) * TARGET_CHUNK_MS);
  return Math.min(Math.max(current, Math.min(target, current * 4)), MAX_BROWSER_CHUNK, limit);
}

function checkedChunkSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunkSize must be an integer from 1 to ${MAX_CHUNK_SIZE}, got ${String(size)}`);
  }
  return size;
}
