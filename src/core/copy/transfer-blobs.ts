/**
 * Moving the blobs of an image under a concurrency limit, with progress over all of them, stopping the rest when
 * one fails.
 * @module
 */
import type { OciDescriptor } from "../models/oci";
import type { BlobCopyAction } from "./copy-blob";
import { fanOut } from "../utils/fan-out";
import type { Limiter } from "../utils/limiter";

/** A step of a multi-blob transfer, reported per blob. */
export interface CopyProgress {
  /** The blob this event is about. */
  digest: string;
  /** `copying` while its bytes move (repeated); then what became of it. */
  action: BlobCopyAction | "copying";
  /** Blobs done so far (skipped, mounted or copied). */
  completedBlobs: number;
  /** How many blobs the copy moves in all. */
  totalBlobs: number;
  /** Bytes of blobs done plus bytes sent of blobs in flight. */
  completedBytes: number;
  /** The size of all blobs together, in bytes. */
  totalBytes: number;
}

/** Moves one blob; calls `onBytes` with the bytes of it moved so far. */
export type BlobTransfer = (
  blob: OciDescriptor,
  options: { signal: AbortSignal; onBytes: (loaded: number) => void },
) => Promise<BlobCopyAction>;

/** Runs `transfer` on every blob, at most as many at once as `limit` allows; returns how many ended which way. */
export async function transferBlobs(
  blobs: readonly OciDescriptor[],
  transfer: BlobTransfer,
  options: { limit: Limiter; signal?: AbortSignal; onProgress?: (progress: CopyProgress) => void },
): Promise<Record<BlobCopyAction, number>> {
  const counts: Record<BlobCopyAction, number> = { skipped: 0, mounted: 0, copied: 0 };
  const progress = {
    completedBlobs: 0,
    totalBlobs: blobs.length,
    completedBytes: 0,
    totalBytes: blobs.reduce((sum, blob) => sum + blob.size, 0),
  };
  // The first failure stops the other transfers instead of letting them run to no purpose.
  await fanOut(
    blobs,
    async (blob, signal) => {
      let sent = 0;
      const onBytes = (loaded: number) => {
        progress.completedBytes += loaded - sent;
        sent = loaded;
        options.onProgress?.({ digest: blob.digest, action: "copying", ...progress });
      };
      const action = await transfer(blob, { signal, onBytes });
      counts[action]++;
      progress.completedBlobs++;
      progress.completedBytes += blob.size - sent;
      options.onProgress?.({ digest: blob.digest, action, ...progress });
    },
    { limit: options.limit, signal: options.signal },
  );
  return counts;
}
