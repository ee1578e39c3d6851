/**
 * `copyImage`: copies an image (or index with all its platforms, optionally with its referrers) between
 * repositories of one registry or of two, preserving every digest.
 * @module
 */
import { ContainerRegistryClient } from "../client";
import { DigestValidationError } from "../errors/digest-validation-error";
import { assertRepositoryName, assertTagOrDigest, quote } from "../grammar/assert";
import type { BlobCopyAction } from "./copy-blob";
import { createLimiter } from "../utils/limiter";
import type { CopyProgress } from "./transfer-blobs";

/** One side of a copy: a client, a repository in its registry, and a tag or digest. */
export interface ImageReference {
  /** The client of the registry this side is in; it reads (source) or writes (destination) with its own credential. */
  client: ContainerRegistryClient;
  /** The repository name within that registry, e.g. `library/nginx`. */
  repository: string;
  /** A tag or a digest. On the destination, a digest must be the source's (digests are preserved). */
  reference: string;
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
  /** The media type of the top manifest: an image manifest, or an index / manifest list. */
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
export async function copyImage(
  source: ImageReference,
  destination: ImageReference,
  options: CopyImageOptions = {},
): Promise<CopyImageResult> {
  checkSide(source, "source");
  const destinationKind = checkSide(destination, "destination");
  const limit = createLimiter(options.concurrency ?? destination.client.concurrency);
  // The copy machinery (image graph, manifests, transfers) loads with the first copy: a page that never copies never
  // downloads it.
  const [{ registryReader, storeManifests, walkImage }, { transferBlobs }, { copyBlob }] = await Promise.all([
    import("./image-graph"),
    import("./transfer-blobs"),
    import("./copy-blob"),
  ]);
  const graph = await walkImage(registryReader(source.client, source.repository), source.reference, {
    referrers: options.referrers,
    limit,
    signal: options.signal,
  });
  if (destinationKind === "digest" && destination.reference !== graph.root.digest) {
    throw new DigestValidationError(
      destination.reference,
      graph.root.digest,
      `The destination reference ${destination.reference} is not the source's digest ${graph.root.digest}`,
    );
  }
  const blobs = await transferBlobs(graph.blobs, (blob, transfer) => copyBlob(source, destination, blob, transfer), {
    limit,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  // Manifests after their blobs, children before their index, so a registry never sees a dangling reference.
  const tag = destinationKind === "tag" ? destination.reference : undefined;
  await storeManifests(destination.client, destination.repository, graph, { tag, signal: options.signal });
  return { digest: graph.root.digest, mediaType: graph.root.mediaType, manifests: graph.manifests.length, blobs };
}

function checkSide(side: ImageReference, name: string): "tag" | "digest" {
  if (typeof side !== "object" || side === null)
    throw new TypeError(`The copy ${name} must be { client, repository, reference }, got ${quote(side)}`);
  if (!(side.client instanceof ContainerRegistryClient))
    throw new TypeError(`The copy ${name}'s client must be a ContainerRegistryClient`);
  assertRepositoryName(side.repository);
  return assertTagOrDigest(side.reference);
}
