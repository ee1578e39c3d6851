/**
 * `copyImage`: copies an image (or index with all its platforms, optionally with its referrers) between
 * repositories of one registry or of two, preserving every digest.
 * @module
 */
import { ContainerRegistryClient } from "../client";
import { DigestValidationError } from "../errors/digest-validation-error";
import { assertRepositoryName, assertTagOrDigest, quote } from "../grammar/assert";
import { throwIfAborted } from "../utils/abort";
import { copyBlob, type BlobCopyAction } from "./copy-blob";
import { walkImage } from "./image-graph";
import { createLimiter } from "./limiter";

/** One side of a copy: a client, a repository in its registry, and a tag or digest. */
export interface ImageReference {
  client: ContainerRegistryClient;
  repository: string;
  /** A tag or a digest. On the destination, a digest must be the source's (digests are preserved). */
  reference: string;
}

/** A step of a copy, reported per blob. */
export interface CopyProgress {
  /** The blob this event is about. */
  digest: string;
  /** `copying` while its bytes move (repeated); then what became of it. */
  action: BlobCopyAction | "copying";
  /** Blobs done (skipped, mounted or copied) and in all. */
  completedBlobs: number;
  totalBlobs: number;
  /** Bytes of blobs done plus bytes sent of blobs in flight, and the size of all blobs. */
  completedBytes: number;
  totalBytes: number;
}

/** Options of {@link copyImage}. */
export interface CopyImageOptions {
  /** How many blob transfers run at once. Default: the destination client's `concurrency`. */
  concurrency?: number;
  /** Called as blobs move and when each is done. */
  onProgress?: (progress: CopyProgress) => void;
  /** Also copy the manifests that refer to the image (signatures, SBOMs), and theirs. Default false. */
  referrers?: boolean;
  /** Cancels the copy; a failure of one transfer also cancels the others. */
  signal?: AbortSignal;
}

/** What {@link copyImage} copied. */
export interface CopyImageResult {
  /** The digest of the top manifest, the same at both ends. */
  digest: string;
  mediaType: string;
  /** How many manifests were stored (the top one, index entries, referrers). */
  manifests: number;
  /** How many blobs were found at the destination, mounted, or sent. */
  blobs: Record<BlobCopyAction, number>;
}

/**
 * Copies an image from `source` to `destination`: across repositories and across registries, indexes with all their
 * platforms, and referrers with `referrers: true`. Blobs the destination has are skipped (HEAD), blobs within one
 * registry are mounted instead of re-uploaded, and the rest are streamed through without being held in memory.
 *
 * @example
 * ```ts
 * await copyImage(
 *   { client: dockerHubMirror, repository: "library/nginx", reference: "1.27" },
 *   { client: acr, repository: "mirror/nginx", reference: "1.27" },
 *   { referrers: true, onProgress: (p) => console.log(`${p.completedBlobs}/${p.totalBlobs}`) },
 * );
 * ```
 */
export async function copyImage(source: ImageReference, destination: ImageReference, options: CopyImageOptions = {}): Promise<CopyImageResult> {
  checkSide(source, "source");
  const destinationKind = checkSide(destination, "destination");
  const limit = createLimiter(options.concurrency ?? destination.client.concurrency);
  // The first failure stops the other transfers instead of letting them run to no purpose.
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  try {
    const graph = await walkImage(source, { referrers: options.referrers ?? false, limit, signal });
    if (destinationKind === "digest" && destination.reference !== graph.root.digest) {
      throw new DigestValidationError(destination.reference, graph.root.digest, `The destination reference ${destination.reference} is not the source's digest ${graph.root.digest}`);
    }
    const blobs: Record<BlobCopyAction, number> = { skipped: 0, mounted: 0, copied: 0 };
    const progress = {
      completedBlobs: 0,
      totalBlobs: graph.blobs.length,
      completedBytes: 0,
      totalBytes: graph.blobs.reduce((sum, blob) => sum + blob.size, 0),
    };
    await Promise.all(
      graph.blobs.map((blob) =>
        limit(async () => {
          let sent = 0;
          const onBytes = (loaded: number) => {
            progress.completedBytes += loaded - sent;
            sent = loaded;
            options.onProgress?.({ digest: blob.digest, action: "copying", ...progress });
          };
          const action = await copyBlob(source, destination, blob, { signal, onBytes });
          blobs[action]++;
          progress.completedBlobs++;
          progress.completedBytes += blob.size - sent;
          options.onProgress?.({ digest: blob.digest, action, ...progress });
        }).catch((error: unknown) => {
          failed.abort(error);
          throw error;
        }),
      ),
    );
    // Manifests after their blobs, children before their index, so a registry never sees a dangling reference.
    for (const node of graph.manifests) {
      throwIfAborted(signal);
      const tag = node === graph.root && destinationKind === "tag" ? destination.reference : undefined;
      await destination.client.pushManifest(destination.repository, node.bytes, { mediaType: node.mediaType, tag, signal });
    }
    return { digest: graph.root.digest, mediaType: graph.root.mediaType, manifests: graph.manifests.length, blobs };
  } finally {
    failed.abort();
  }
}

function checkSide(side: ImageReference, name: string): "tag" | "digest" {
  if (typeof side !== "object" || side === null) throw new TypeError(`The copy ${name} must be { client, repository, reference }, got ${quote(side)}`);
  if (!(side.client instanceof ContainerRegistryClient)) throw new TypeError(`The copy ${name}'s client must be a ContainerRegistryClient`);
  assertRepositoryName(side.repository);
  return assertTagOrDigest(side.reference);
}
