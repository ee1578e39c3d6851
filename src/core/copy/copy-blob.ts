/**
 * One blob of a copy: mounted within one registry, else skipped when the destination has it, else streamed through.
 * @module
 */
import type { ContainerRegistryClient } from "../client";
import { DigestValidationError } from "../errors/digest-validation-error";
import { UploadInterruptedError } from "../errors/upload-interrupted-error";
import type { OciDescriptor } from "../models/oci";
import { markVerified } from "../content/verified-stream";

/** One side of a blob copy. */
export interface BlobSide {
  client: ContainerRegistryClient;
  repository: string;
}

/** What happened to a blob: already there, linked by a mount, or its bytes sent. */
export type BlobCopyAction = "skipped" | "mounted" | "copied";

/** How many times a blob whose upload lost its one-shot stream is downloaded again and sent again. */
const STREAM_RESTARTS = 2;

/**
 * Copies one blob. The bytes flow from the download body into the upload as they arrive, never whole in memory:
 * across registries one HEAD, then the download's GET while the upload session is opened, and one PUT that streams
 * the bytes. Both ends verify the digest (the download as it streams, the registry against the PUT's digest).
 */
export async function copyBlob(
  source: BlobSide,
  destination: BlobSide,
  blob: OciDescriptor,
  options: { signal?: AbortSignal; onBytes?: (loaded: number) => void },
): Promise<BlobCopyAction> {
  const { signal } = options;
  // Within one registry the mount comes first, with no HEAD before it: a registry answers 201 for a blob the
  // destination already has as for one it links, so one request settles the blob (a 202 means bytes must move).
  if (source.client.endpoint === destination.client.endpoint && source.repository !== destination.repository) {
    const { mounted } = await destination.client.mountBlob(destination.repository, blob.digest, source.repository, {
      signal,
    });
    if (mounted) return "mounted";
  }
  for (let restarts = 0; ; restarts++) {
    // Elsewhere the upload's HEAD (the digest is given) finds a blob the destination has; the download starts only
    // when the upload first reads, so a blob found there is never fetched.
    const body = lazyDownload(source, blob, signal);
    try {
      const uploaded = await destination.client.uploadBlob(
        destination.repository,
        { stream: body.stream, size: blob.size },
        {
          signal,
          digest: blob.digest,
          onProgress: options.onBytes && ((progress) => body.started && options.onBytes!(progress.loaded)),
        },
      );
      if (uploaded.digest !== blob.digest) {
        throw new DigestValidationError(
          blob.digest,
          uploaded.digest,
          `The copy of ${blob.digest} arrived as ${uploaded.digest}`,
        );
      }
      return body.started ? "copied" : "skipped";
    } catch (error) {
      // A broken connection cost the upload its one-shot stream: a new download can feed a new upload.
      if (
        !(error instanceof UploadInterruptedError && error.reason === "source-not-rereadable") ||
        restarts >= STREAM_RESTARTS ||
        signal?.aborted
      )
        throw error;
    }
  }
}

/** The body of a blob's download, started by its first read; `started` says whether it was. */
function lazyDownload(
  source: BlobSide,
  blob: OciDescriptor,
  signal: AbortSignal | undefined,
): { stream: ReadableStream<Uint8Array>; readonly started: boolean } {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let started = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!reader) {
          started = true;
          // Bytes beyond or short of the descriptor's size end the upload (a sized stream source checks its length).
          const download = await source.client.downloadBlob(source.repository, blob.digest, { signal });
          reader = download.body.getReader();
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        await reader?.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return {
    // The download checks every byte against the digest, and errors its body instead of ending it on a mismatch.
    stream: markVerified(stream, blob.digest),
    get started() {
      return started;
    },
  };
}
