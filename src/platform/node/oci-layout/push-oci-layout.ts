/**
 * `pushOciLayout`: uploads an image of an OCI image layout directory (as skopeo's `oci:DIR:tag` writes) to a registry.
 * @module
 */
import type { ContainerRegistryClient } from "../../../core/client";
import { DigestValidationError } from "../../../core/errors/digest-validation-error";
import { assertRepositoryName, assertTag } from "../../../core/grammar/assert";
import { storeManifests, walkImage } from "../../../core/copy/image-graph";
import { createLimiter } from "../../../core/utils/limiter";
import { transferBlobs, type CopyProgress } from "../../../core/copy/transfer-blobs";
import { fileSource } from "../file-source";
import { blobPath, findImage, layoutReader, readLayoutIndex } from "./layout";

/** Options of {@link pushOciLayout} and {@link pullToOciLayout}. */
export interface OciLayoutOptions {
  /** Called as blobs move and when each is done. */
  onProgress?: (progress: CopyProgress) => void;
  /** Cancels the transfer; blobs still moving are stopped. */
  signal?: AbortSignal;
}

/**
 * Pushes the image named `tag` in the layout at `dir` (an image manifest, or an index with all its platforms) to
 * `repository:tag`, with digests unchanged. Blobs the registry has are skipped; the others are read from their files
 * chunk by chunk, `client.concurrency` at a time.
 *
 * @example
 * ```ts
 * // skopeo copy docker://alpine:3 oci:./alpine:3
 * await pushOciLayout("./alpine", client, "mirror/alpine", "3");
 * ```
 */
export async function pushOciLayout(
  dir: string,
  client: ContainerRegistryClient,
  repository: string,
  tag: string,
  options: OciLayoutOptions = {},
): Promise<{
  /** The digest of the pushed image's top manifest (or index), the same as in the layout. */
  digest: string;
}> {
  assertRepositoryName(repository);
  assertTag(tag);
  const image = findImage(dir, await readLayoutIndex(dir), tag);
  const limit = createLimiter(client.concurrency);
  const graph = await walkImage(layoutReader(dir), image.digest, { limit, signal: options.signal });
  await transferBlobs(
    graph.blobs,
    async (blob, { signal, onBytes }) => {
      if (await client.blobExists(repository, blob.digest, { signal })) return "skipped";
      const uploaded = await client.uploadBlob(repository, fileSource(blobPath(dir, blob.digest)), {
        signal,
        onProgress: (progress) => onBytes(progress.loaded),
      });
      if (uploaded.digest !== blob.digest)
        throw new DigestValidationError(
          blob.digest,
          uploaded.digest,
          `The layout's blob ${blob.digest} has content ${uploaded.digest}`,
        );
      return "copied";
    },
    { limit, signal: options.signal, onProgress: options.onProgress },
  );
  await storeManifests(client, repository, graph, { tag, signal: options.signal });
  return { digest: graph.root.digest };
}
