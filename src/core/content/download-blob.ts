/**
 * `downloadBlob`: a stream that verifies the digest as it goes; one connection resumed with Range after a break, or,
 * for a large blob, several connections when they raise the throughput (parallel-download.ts).
 * @module
 */
import type { Hasher } from "../digest/hasher";
import { finishDigest } from "../digest/hasher";
import { DigestValidationError } from "../errors/digest-validation-error";
import { parseDigest } from "../grammar/digest";
import type { OperationOptions } from "../operation-context";
import { BlobLocation } from "./blob-location";
import type { ContentContext, TransferProgress } from "./context";
import { declaredSize } from "./download-response";
import { sequentialPieces, type BlobPieces } from "./download-sequential";
import { parallelPieces } from "./parallel-download";

/** Options of `downloadBlob`. */
export interface DownloadBlobOptions extends OperationOptions {
  /** Called as bytes arrive, with the bytes received so far and the blob's size. */
  onProgress?: (progress: TransferProgress) => void;
  /** How many times a broken transfer is resumed from where it stopped. Default 5. */
  maxResumes?: number;
  /**
   * The most connections for this blob (1: one connection); the client's `maxConnections` by default. More than one
   * is used only for blobs from the client's `parallelDownloadThreshold` up, and only while they raise the throughput.
   */
  maxConnections?: number;
}

/** A blob being downloaded. */
export interface DownloadBlobResult {
  /** The digest that was asked for; `body` is checked against it. */
  digest: string;
  /**
   * The blob's size in bytes, as the registry declared it (`Content-Length`); undefined when it sent the blob without
   * one (chunked transfer encoding) or encoded. The digest verifies the bytes either way.
   */
  size: number | undefined;
  /** The content; errors with DigestValidationError instead of closing when the bytes do not match `digest`. */
  body: ReadableStream<Uint8Array>;
}

/** Starts downloading a blob; the returned body verifies its digest as it streams. */
export async function downloadBlob(
  context: ContentContext,
  repository: string,
  digest: string,
  options: DownloadBlobOptions = {},
): Promise<DownloadBlobResult> {
  const algorithm = parseDigest(digest)!.algorithm;
  const location = new BlobLocation(context, repository, digest);
  const [response, hasher] = await Promise.all([location.first(options.signal), context.hasherFactory(algorithm)]);
  const size = await declaredSize(response, digest);
  const maxResumes = options.maxResumes ?? 5;
  const settings = context.downloads;
  const maxConnections = Math.min(options.maxConnections ?? settings.maxConnections, settings.maxConnections);
  // The first connection counts against the client's budget, so that the blobs of a copy or pull in flight leave
  // fewer connections for extra ranges: a copy of many large layers does not open layers × ranges connections.
  const release = settings.budget.count();
  const parallel = size !== undefined && response.status === 200 && size >= settings.threshold && maxConnections > 1;
  const pieces = parallel
    ? parallelPieces({
        location,
        first: response,
        size,
        settings: { ...settings, maxConnections },
        // Several connections may each break once: the budget grows with them.
        maxResumes: maxResumes * maxConnections,
        signal: options.signal,
        slot: () => settings.budget.tryTake(),
      })
    : sequentialPieces(location, response, 0, { size, maxResumes, signal: options.signal });
  return { digest, size, body: verifiedBody(pieces, hasher, algorithm, digest, size, options, release) };
}

/** The pieces as a stream that hashes them in order and errors, instead of closing, when the digest does not match. */
function verifiedBody(
  pieces: BlobPieces,
  hasher: Hasher,
  algorithm: Parameters<typeof finishDigest>[0],
  digest: string,
  size: number | undefined,
  options: DownloadBlobOptions,
  release: () => void,
): ReadableStream<Uint8Array> {
  let received = 0;
  const finish = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    release();
    const actual = await finishDigest(algorithm, hasher);
    if (actual !== digest) controller.error(new DigestValidationError(digest, actual, `The downloaded content of ${digest} has digest ${actual}`));
    else controller.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const value = await pieces.read();
        if (value === undefined) return await finish(controller);
        if (size !== undefined && received + value.byteLength > size) {
          throw new DigestValidationError(digest, "(more bytes than the declared size)", `The registry sent more than the ${size} bytes of ${digest}`);
        }
        await hasher.update(value);
        received += value.byteLength;
        options.onProgress?.({ loaded: received, total: size });
        controller.enqueue(value);
        if (received === size) {
          await finish(controller);
          void pieces.cancel();
        }
      } catch (error) {
        release();
        controller.error(options.signal?.aborted ? options.signal.reason : error);
        void pieces.cancel(error);
      }
    },
    cancel(reason) {
      release();
      return pieces.cancel(reason);
    },
  });
}
