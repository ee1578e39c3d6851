/**
 * `downloadBlob`: a stream that verifies the digest as it goes; one connection resumed with Range after a break, or,
 * for a large blob, several connections when they raise the throughput (parallel-download.ts). `downloadBlobTo`: the
 * same written into a random-access target, each range at its offset as it arrives (positional-window.ts), so that
 * bytes out of order wait in the target, not in memory.
 * @module
 */
import { connectionBudgetOf } from "./connection-budget";
import { finishDigest, type Hasher } from "../digest/hasher";
import { DigestValidationError } from "../errors/digest-validation-error";
import { assertDigest, assertRepositoryName } from "../grammar/assert";
import { parseDigest } from "../grammar/digest";
import { isBrowserLike } from "../http/user-agent";
import type { OperationOptions } from "../operation-context";
import { BlobLocation } from "./blob-location";
import type { ContentContext, TransferProgress } from "./context";
import { declaredSize } from "./download-response";
import { hashedPrefix, resumedSize } from "./download-resume";
import { plainIfRefused, sequentialPieces, type BlobPieces } from "./download-sequential";
import { parallelPieces } from "./parallel-download";
import type { RandomAccessTarget } from "./random-access-target";

/**
 * How much further ahead of the hash the ranges of a download to a target may run than `downloadWindow`: the bytes
 * ahead wait in the target, so a wider lead costs no memory, and lets the other connections go on while one range
 * falls behind until it is asked for again.
 */
const TARGET_LEAD_FACTOR = 4;

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
  /**
   * Continues a download an earlier run began: the first `offset` bytes are held already and `prefix` streams them
   * (to be hashed, so the whole blob is still verified); only the rest is asked for, with Range, and `body` carries
   * the bytes from `offset` on (a registry that ignores Range sends the blob again, and the held bytes are skipped).
   */
  resumeFrom?: DownloadResumePoint;
}

/** Where a download an earlier run began stands: the bytes held, and a stream of them. */
export interface DownloadResumePoint {
  /** How many bytes of the blob are held. */
  offset: number;
  /** The held bytes, from the blob's start: hashed before the rest is asked for. */
  prefix: ReadableStream<Uint8Array>;
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

/**
 * Starts downloading a blob; the returned body verifies its digest as it streams. With `target`, every byte is written
 * there at its offset before the body hands it on (`downloadBlobTo` below).
 */
export async function downloadBlob(
  context: ContentContext,
  repository: string,
  digest: string,
  options: DownloadBlobOptions = {},
  target?: RandomAccessTarget,
): Promise<DownloadBlobResult> {
  assertRepositoryName(repository);
  assertDigest(digest);
  const algorithm = parseDigest(digest)!.algorithm;
  const location = new BlobLocation(context, repository, digest);
  const maxResumes = options.maxResumes ?? 5;
  const settings = context.downloads;
  if (options.resumeFrom) {
    const { offset } = options.resumeFrom;
    const hasher = await hashedPrefix(context, options.resumeFrom, algorithm);
    const { response, skip } = await plainIfRefused(
      location,
      await location.read(offset, undefined, options.signal),
      offset,
      options.signal,
    );
    const size = await resumedSize(response, digest);
    const pieces = sequentialPieces(location, response, offset, { size, maxResumes, signal: options.signal }, skip);
    const lengths = { total: size, binding: size };
    return {
      digest,
      size,
      body: verifiedBody(
        pieces,
        hasher,
        algorithm,
        digest,
        lengths,
        options,
        connectionBudgetOf(settings).count(),
        offset,
        target,
      ),
    };
  }
  const [response, hasher] = await Promise.all([location.first(options.signal), context.hasherFactory(algorithm)]);
  const size = await declaredSize(response, digest);
  // A page cannot ask for `Accept-Encoding: identity` (a forbidden header), and a cross-origin answer hides its
  // Content-Encoding unless the registry exposes it: there a whole answer's length may count encoded bytes (Chromium,
  // Firefox and WebKit against the quay profile's gzip, test/browser/conformance.browser.test.ts). It then reports
  // progress only, and the digest decides; the browser's own framing errors a body cut off before its end.
  const binding = isBrowserLike() && response.status === 200 ? undefined : size;
  const maxConnections = Math.min(options.maxConnections ?? settings.maxConnections, settings.maxConnections);
  // The first connection counts against the client's budget, so that the blobs of a copy or pull in flight leave
  // fewer connections for extra ranges: a copy of many large layers does not open layers × ranges connections.
  const release = connectionBudgetOf(settings).count();
  const parallel = size !== undefined && response.status === 200 && size >= settings.threshold && maxConnections > 1;
  const pieces = parallel
    ? parallelPieces({
        location,
        first: response,
        size,
        settings: {
          ...settings,
          maxConnections,
          windowBytes: target ? settings.windowBytes * TARGET_LEAD_FACTOR : settings.windowBytes,
        },
        target,
        // Several connections may each break once: the budget grows with them.
        maxResumes: maxResumes * maxConnections,
        signal: options.signal,
        slot: () => connectionBudgetOf(settings).tryTake(),
      })
    : sequentialPieces(location, response, 0, { size: binding, maxResumes, signal: options.signal });
  return {
    digest,
    size,
    // The parallel path wrote its pieces at their offsets already; one stream's are written as they are hashed.
    body: verifiedBody(
      pieces,
      hasher,
      algorithm,
      digest,
      { total: size, binding },
      options,
      release,
      0,
      parallel ? undefined : target,
    ),
  };
}

/**
 * The pieces as a stream that hashes them in order and errors, instead of closing, when the digest does not match;
 * with `target`, each piece within the declared size is written there at its offset before it is hashed.
 */
function verifiedBody(
  pieces: BlobPieces,
  hasher: Hasher,
  algorithm: Parameters<typeof finishDigest>[0],
  digest: string,
  lengths: { total: number | undefined; binding: number | undefined },
  options: DownloadBlobOptions,
  release: () => void,
  start = 0,
  target?: RandomAccessTarget,
): ReadableStream<Uint8Array> {
  const { total, binding: size } = lengths;
  let received = start;
  const finish = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    release();
    const actual = await finishDigest(algorithm, hasher);
    if (actual !== digest)
      controller.error(
        new DigestValidationError(digest, actual, `The downloaded content of ${digest} has digest ${actual}`),
      );
    else controller.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const value = await pieces.read();
        if (value === undefined) return await finish(controller);
        if (size !== undefined && received + value.byteLength > size) {
          throw new DigestValidationError(
            digest,
            "(more bytes than the declared size)",
            `The registry sent more than the ${size} bytes of ${digest}`,
          );
        }
        await target?.write(received, value);
        await hasher.update(value);
        received += value.byteLength;
        options.onProgress?.({ loaded: received, total });
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

/** Options of `downloadBlobTo`. */
export interface DownloadBlobToOptions extends Omit<DownloadBlobOptions, "resumeFrom"> {
  /**
   * How many bytes from the blob's start the target already holds from an earlier run: they are read back and hashed,
   * and only the rest is fetched (with Range). A registry that will not send that range, or more held bytes than the
   * blob has, make the download start again from byte 0; held bytes that are not the blob's end in
   * DigestValidationError, as any other mismatch. Default 0.
   */
  heldBytes?: number;
}

/** What `downloadBlobTo` wrote. */
export interface DownloadBlobToResult {
  /** The blob's digest, which the bytes written were verified against. */
  digest: string;
  /** The blob's size: the target holds the blob in `[0, size)`. */
  size: number;
}

/** The bytes read back at once from a target's held prefix. */
const PREFIX_READ = 1024 * 1024;

/**
 * Downloads a blob into `target` and resolves once every byte is written and the digest verified; rejects with
 * DigestValidationError when it does not match. The target then holds unverified bytes: the caller discards it.
 */
export async function downloadBlobTo(
  context: ContentContext,
  repository: string,
  digest: string,
  target: RandomAccessTarget,
  options: DownloadBlobToOptions = {},
): Promise<DownloadBlobToResult> {
  assertRepositoryName(repository);
  assertDigest(digest);
  const { heldBytes = 0, ...downloadOptions } = options;
  if (!Number.isSafeInteger(heldBytes) || heldBytes < 0)
    throw new RangeError(`heldBytes must be a non-negative integer, got ${heldBytes}`);
  let start = heldBytes;
  let result: DownloadBlobResult;
  try {
    result = await downloadBlob(
      context,
      repository,
      digest,
      start > 0
        ? { ...downloadOptions, resumeFrom: { offset: start, prefix: heldPrefix(target, start) } }
        : downloadOptions,
      target,
    );
  } catch (error) {
    // A registry that answers the range with anything but 206, or held bytes longer than the blob: start over.
    if (start === 0 || !["RegistryError", "RangeError", "DigestValidationError"].includes((error as Error).name))
      throw error;
    start = 0;
    result = await downloadBlob(context, repository, digest, downloadOptions, target);
  }
  // The body's pieces are written already: reading it to its end hashes them, and its error is the verdict.
  const reader = result.body.getReader();
  let size = start;
  for (let piece = await reader.read(); !piece.done; piece = await reader.read()) size += piece.value.byteLength;
  return { digest: result.digest, size };
}

/** The first `length` bytes of `target`, read back in pieces. */
function heldPrefix(target: RandomAccessTarget, length: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= length) return controller.close();
      const bytes = await target.read(offset, Math.min(PREFIX_READ, length - offset));
      offset += bytes.byteLength;
      controller.enqueue(bytes);
    },
  });
}
