/**
 * `uploadBlob`: monolithic for one chunk, chunked beyond, hashed as the bytes go out.
 * @module
 */
import { digestOf, finishDigest } from "../digest/hasher";
import { DigestValidationError } from "../errors/digest-validation-error";
import type { OperationOptions } from "../registry/context";
import { throwIfAborted } from "../utils/abort";
import { blobExists } from "./blobs";
import { toChunkedSource, type BlobSource } from "./blob-source";
import type { ContentContext, TransferProgress } from "./context";
import { UploadSession } from "./upload-session";

/** Options of `uploadBlob`. */
export interface UploadBlobOptions extends OperationOptions {
  /** Called after each chunk with the bytes sent so far, for the whole blob. */
  onProgress?: (progress: TransferProgress) => void;
  /** Bytes per request; the client's `chunkSize` by default. */
  chunkSize?: number;
}

/** The uploaded blob's digest and size. */
export interface UploadBlobResult {
  digest: string;
  size: number;
}

/** The largest chunk acrkit sends in one request: Node's fetch holds a whole request body in memory. */
export const MAX_CHUNK_SIZE = 512 * 1024 * 1024;

/** Uploads a blob and returns its digest, after checking it against the registry's. */
export async function uploadBlob(
  context: ContentContext,
  repository: string,
  data: BlobSource,
  options: UploadBlobOptions = {},
): Promise<UploadBlobResult> {
  const chunkSize = checkedChunkSize(options.chunkSize ?? context.chunkSize);
  const source = toChunkedSource(data);
  const report = (loaded: number) => options.onProgress?.({ loaded, total: source.size });
  throwIfAborted(options.signal);

  const chunks = source.chunks(chunkSize)[Symbol.asyncIterator]();
  try {
    return await uploadChunks(context, repository, chunks, report, options);
  } finally {
    // Releases a caller's stream when the upload stops early.
    await chunks.return?.();
  }
}

async function uploadChunks(
  context: ContentContext,
  repository: string,
  chunks: AsyncIterator<Uint8Array>,
  report: (loaded: number) => void,
  options: UploadBlobOptions,
): Promise<UploadBlobResult> {
  const first = await chunks.next();
  const firstChunk = first.done ? new Uint8Array(0) : first.value;
  // One step of lookahead tells whether the blob fits one request, even for a stream of unknown size.
  const second = first.done ? first : await chunks.next();

  if (second.done) {
    const digest = await digestOf(context.hasherFactory, "sha256", firstChunk);
    // Content already in memory costs one HEAD to skip a transfer the registry does not need.
    if (await blobExists(context, repository, digest, options)) {
      report(firstChunk.byteLength);
      return { digest, size: firstChunk.byteLength };
    }
    return withSession(context, repository, options, async (session) => {
      const serverDigest = await session.complete(digest, options.signal, firstChunk);
      report(firstChunk.byteLength);
      return verified(digest, serverDigest, firstChunk.byteLength);
    });
  }

  const hasher = await context.hasherFactory("sha256");
  return withSession(context, repository, options, async (session) => {
    let offset = 0;
    const send = async (chunk: Uint8Array) => {
      throwIfAborted(options.signal);
      const request = session.append(chunk, offset, options.signal);
      // Hashing runs while the chunk is on the wire.
      hasher.update(chunk);
      await request;
      offset += chunk.byteLength;
      report(offset);
    };
    await send(firstChunk);
    await send(second.value);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) await send(next.value);
    const digest = finishDigest("sha256", hasher);
    return verified(digest, await session.complete(digest, options.signal), offset);
  });
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
    // Nothing is left half-done: an upload that failed or was aborted releases its session.
    await session.cancel();
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
