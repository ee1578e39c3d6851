/**
 * `downloadBlobTo`: a blob written into a random-access target and verified. Over several connections each range is
 * written at its offset as it arrives and hashed as the target fills (positional-window.ts), so bytes out of order
 * wait in the target, not in memory.
 * @module
 */
import type { ContentContext } from "./context";
import { downloadBlob, type DownloadBlobOptions, type DownloadBlobResult } from "./download-blob";
import type { RandomAccessTarget } from "./random-access-target";

/** Options of `downloadBlobTo`. */
export interface DownloadBlobToOptions extends Omit<DownloadBlobOptions, "resumeFrom"> {
  /**
   * How many bytes from the blob's start the target already holds from an earlier run: they are read back and hashed,
   * and only the rest is fetched (with Range). A registry that will not send that range, or held bytes that are not
   * the blob's, make the download start again from byte 0. Default 0.
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
