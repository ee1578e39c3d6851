/**
 * `pullToOciLayout`: downloads an image into an OCI image layout directory that skopeo's `oci:DIR:tag` can read.
 * @module
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { ContainerRegistryClient } from "../../../core/client";
import { assertRepositoryName, assertTagOrDigest } from "../../../core/grammar/assert";
import { registryReader, walkImage } from "../../../core/copy/image-graph";
import { createLimiter } from "../../../core/utils/limiter";
import { transferBlobs } from "../../../core/copy/transfer-blobs";
import { KnownManifestMediaType } from "../../../core/models/enums";
import type { OciDescriptor } from "../../../core/models/oci";
import { downloadBlobToFile } from "../download-to-file";
import { blobPath, hasBlob, openLayoutForWriting, REF_NAME, writeAtomically, writeLayoutIndex } from "./layout";
import type { OciLayoutOptions } from "./push-oci-layout";

/**
 * Downloads the image at `repository:reference` (an image, or an index with all its platforms) into the layout at
 * `dir`, creating it if needed. Each blob is written to a temporary file and renamed into place once its digest is
 * verified; blobs already in the layout are kept. index.json then names the image `reference` when it is a tag
 * (replacing an image of that name), and lists it by digest otherwise.
 *
 * @example
 * ```ts
 * await pullToOciLayout(client, "team/app", "v1", "./app-layout");
 * // skopeo copy oci:./app-layout:v1 docker-archive:app.tar
 * ```
 */
export async function pullToOciLayout(
  client: ContainerRegistryClient,
  repository: string,
  reference: string,
  dir: string,
  options: OciLayoutOptions = {},
): Promise<{
  /** The digest of the pulled image's top manifest (or index), as listed in the layout's index.json. */
  digest: string;
}> {
  assertRepositoryName(repository);
  const kind = assertTagOrDigest(reference);
  const index = await openLayoutForWriting(dir);
  const limit = createLimiter(client.concurrency);
  const graph = await walkImage(registryReader(client, repository), reference, { limit, signal: options.signal });
  await transferBlobs(
    graph.blobs,
    async (blob, { signal, onBytes }) => {
      if (await hasBlob(dir, blob)) return "skipped";
      const path = blobPath(dir, blob.digest);
      await mkdir(dirname(path), { recursive: true });
      await downloadBlobToFile(client, repository, blob.digest, path, {
        signal,
        onProgress: (progress) => onBytes(progress.loaded),
      });
      return "copied";
    },
    { limit, signal: options.signal, onProgress: options.onProgress },
  );
  for (const node of graph.manifests) {
    const path = blobPath(dir, node.digest);
    await mkdir(dirname(path), { recursive: true });
    await writeAtomically(path, node.bytes);
  }
  const entry: OciDescriptor = {
    mediaType: graph.root.mediaType,
    digest: graph.root.digest,
    size: graph.root.bytes.byteLength,
  };
  if (kind === "tag") entry.annotations = { [REF_NAME]: reference };
  // A tag names one image: the one pulled now replaces an older one of that name; a digest is listed once.
  const others = index.manifests.filter((existing) =>
    kind === "tag"
      ? existing.annotations?.[REF_NAME] !== reference
      : existing.digest !== entry.digest || existing.annotations?.[REF_NAME] !== undefined,
  );
  await writeLayoutIndex(dir, {
    ...index,
    mediaType: index.mediaType ?? KnownManifestMediaType.OciImageIndex,
    manifests: [...others, entry],
  });
  return { digest: graph.root.digest };
}
