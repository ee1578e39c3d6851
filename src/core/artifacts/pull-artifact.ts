/**
 * `pullArtifact`: an OCI artifact's manifest and its files, each downloadable on demand with digest verification.
 * @module
 */
import { ContainerRegistryClient } from "../client";
import type { DownloadBlobOptions, DownloadBlobResult } from "../content/download-blob";
import { InvalidArtifactError } from "../errors/invalid-artifact-error";
import { isDigest } from "../grammar/digest";
import { assertRepositoryName, assertTagOrDigest, quote } from "../grammar/assert";
import type { OciDescriptor } from "../models/oci";
import type { OperationOptions } from "../operation-context";
import { TITLE_ANNOTATION } from "./artifact-conventions";

/** One file of a pulled artifact: a layer with a title. */
export interface ArtifactFileEntry {
  /** The file name (the layer's `org.opencontainers.image.title`). */
  name: string;
  /** The layer digest; `download()` verifies the bytes against it. */
  digest: string;
  /** The size in bytes, as the manifest says. */
  size: number;
  /** The layer's media type. */
  mediaType: string;
  /** The layer's annotations, the title among them. */
  annotations: Record<string, string>;
  /** Starts the download; the result's `body` errors with DigestValidationError when the bytes do not match. */
  download(options?: DownloadBlobOptions): Promise<DownloadBlobResult>;
}

/** What {@link pullArtifact} read. */
export interface PullArtifactResult {
  /** The artifact's manifest, as stored. */
  manifest: Record<string, unknown>;
  /** The manifest digest, verified. */
  digest: string;
  /** The manifest's media type. */
  mediaType: string;
  /** The manifest's `artifactType`, else its config's media type. */
  artifactType: string | undefined;
  /** The titled layers, in manifest order. Layers without a title (image layers, the empty descriptor) are not files. */
  files: ArtifactFileEntry[];
}

/**
 * Reads an artifact by tag or digest: its manifest and its files (layers named by `org.opencontainers.image.title`,
 * as ORAS pushes them). Nothing is downloaded until a file's `download()` is called.
 *
 * @example
 * ```ts
 * const artifact = await pullArtifact(client, "team/docs", "v1");
 * for (const file of artifact.files) console.log(file.name, file.size);
 * const { body } = await artifact.files[0].download();
 * ```
 */
export async function pullArtifact(
  client: ContainerRegistryClient,
  repository: string,
  reference: string,
  options: OperationOptions = {},
): Promise<PullArtifactResult> {
  if (!(client instanceof ContainerRegistryClient))
    throw new TypeError(`pullArtifact needs a ContainerRegistryClient, got ${quote(client)}`);
  assertRepositoryName(repository);
  assertTagOrDigest(reference);
  const fetched = await client.getManifest(repository, reference, { signal: options.signal });
  const { manifest, digest, mediaType } = fetched;
  const { isIndexManifest } = await import("../content/image-platform-manifest");
  if (isIndexManifest(fetched))
    throw new InvalidArtifactError(repository, digest, mediaType, "it is an index of manifests, not one manifest");
  if (!Array.isArray(manifest.layers))
    throw new InvalidArtifactError(repository, digest, mediaType, "it has no layers");
  const layers = manifest.layers as unknown[];
  if (!layers.every(isDescriptor))
    throw new InvalidArtifactError(
      repository,
      digest,
      mediaType,
      "a layer is not a descriptor { mediaType, digest, size }",
    );
  const files = layers
    .filter(
      (layer) =>
        typeof layer.annotations?.[TITLE_ANNOTATION] === "string" && layer.annotations[TITLE_ANNOTATION] !== "",
    )
    .map((layer): ArtifactFileEntry => ({
      name: layer.annotations![TITLE_ANNOTATION]!,
      digest: layer.digest,
      size: layer.size,
      mediaType: layer.mediaType,
      annotations: { ...layer.annotations },
      download: (downloadOptions) => client.downloadBlob(repository, layer.digest, downloadOptions),
    }));
  const config = manifest.config as Partial<OciDescriptor> | undefined;
  const artifactType =
    typeof manifest.artifactType === "string"
      ? manifest.artifactType
      : typeof config?.mediaType === "string"
        ? config.mediaType
        : undefined;
  return { manifest, digest, mediaType, artifactType, files };
}

function isDescriptor(value: unknown): value is OciDescriptor {
  const candidate = value as OciDescriptor | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.mediaType === "string" &&
    isDigest(candidate.digest) &&
    Number.isSafeInteger(candidate.size) &&
    candidate.size >= 0
  );
}
