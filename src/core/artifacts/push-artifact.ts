/**
 * `pushArtifact`: files to an OCI artifact in one call, the way ORAS pushes them.
 * @module
 */
import { ContainerRegistryClient } from "../client";
import { DEFAULT_CHUNK_SIZE } from "../client-options";
import type { BlobSource, ChunkedSource } from "../content/blob-source";
import { fanOut } from "../utils/fan-out";
import { getDefaultHasherFactory } from "../digest/default-hasher";
import { finishDigest } from "../digest/hasher";
import { assertRepositoryName, quote } from "../grammar/assert";
import type { OciDescriptor, OciImageManifest } from "../models/oci";
import { EMPTY_CONTENT, EMPTY_DESCRIPTOR, OCI_MANIFEST_MEDIA_TYPE, TITLE_ANNOTATION } from "./artifact-conventions";
import { checkPushInput, type PushArtifactInput } from "./artifact-input";

/** Settings of {@link pushArtifact}. */
export interface PushArtifactOptions {
  /** Called as bytes go out, for all files together. */
  onProgress?: (progress: {
    /** Bytes of all files sent or found at the registry so far. */
    loaded: number;
    /** The size of all files, when every source has a known size. */
    total?: number;
  }) => void;
  /** How many files upload at once. Default: the client's `concurrency`. */
  concurrency?: number;
  /** Cancels the push; no manifest is stored after an abort. */
  signal?: AbortSignal;
}

/** What {@link pushArtifact} stored: the manifest's descriptor. */
export interface PushArtifactResult {
  /** The manifest digest, e.g. `sha256:...`. */
  digest: string;
  /** The OCI image manifest type. */
  mediaType: string;
  /** The manifest's size in bytes. */
  size: number;
}

/**
 * Pushes files as one OCI artifact: each file becomes a layer named by `org.opencontainers.image.title`, the
 * config is the OCI empty config unless one is given, and the manifest (with `artifactType`, and `subject` when
 * given) is stored last, tagged when `tag` is given. Files the registry already has are not sent again (one HEAD).
 * Everything is checked before the first request.
 *
 * @example
 * ```ts
 * const { digest } = await pushArtifact(client, "team/docs", {
 *   artifactType: "application/vnd.example.docs.v1",
 *   files: [{ name: "guide.pdf", data: fileInput.files[0] }, { name: "notes.md", data: "# Notes\n", mediaType: "text/markdown" }],
 *   tag: "v1",
 * });
 * ```
 */
export async function pushArtifact(
  client: ContainerRegistryClient,
  repository: string,
  input: PushArtifactInput,
  options: PushArtifactOptions = {},
): Promise<PushArtifactResult> {
  if (!(client instanceof ContainerRegistryClient))
    throw new TypeError(`pushArtifact needs a ContainerRegistryClient, got ${quote(client)}`);
  assertRepositoryName(repository);
  const mediaTypes = checkPushInput(input);
  // Transfer code is loaded on first use, as the client's own transfers are: pages that only browse never load it.
  const { toChunkedSource } = await import("../content/blob-source");
  const { signal } = options;

  const sizes = input.files.map((file) => toChunkedSource(file.data).size);
  const total = sizes.every((size) => size !== undefined)
    ? sizes.reduce<number>((sum, size) => sum + size!, 0)
    : undefined;
  const loaded = input.files.map(() => 0);
  const report = (index: number, bytes: number) => {
    loaded[index] = bytes;
    options.onProgress?.({ loaded: loaded.reduce((sum, value) => sum + value, 0), total });
  };

  const upload = (data: BlobSource, uploadSignal: AbortSignal, onBytes?: (bytes: number) => void) =>
    uploadUnlessPresent(client, repository, toChunkedSource, data, uploadSignal, onBytes);
  const configured = input.config;
  // The config (registries check that its blob exists, the empty one too), then every file, as one descriptor each.
  const blobs: Array<(uploadSignal: AbortSignal) => Promise<OciDescriptor>> = [
    async (uploadSignal) => {
      if (!configured) return (await upload(EMPTY_CONTENT, uploadSignal), { ...EMPTY_DESCRIPTOR });
      const { digest, size } = await upload(configured.data, uploadSignal);
      return { mediaType: configured.mediaType, digest, size };
    },
    ...input.files.map((file, index) => async (uploadSignal: AbortSignal): Promise<OciDescriptor> => {
      const { digest, size } = await upload(file.data, uploadSignal, (bytes) => report(index, bytes));
      report(index, size);
      return { mediaType: mediaTypes[index]!, digest, size, annotations: { [TITLE_ANNOTATION]: file.name } };
    }),
  ];
  // The first failure stops the other uploads; nothing of the artifact is pushed after it.
  const [config, ...layers] = await fanOut(blobs, (send, uploadSignal) => send(uploadSignal), {
    limit: options.concurrency ?? client.concurrency,
    signal,
  });
  signal?.throwIfAborted();

  const manifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: input.artifactType,
    config: config!,
    // An artifact without files carries the empty descriptor as its one layer, as image-spec 1.1 advises.
    layers: layers.length > 0 ? layers : [{ ...EMPTY_DESCRIPTOR }],
    ...(input.subject ? { subject: input.subject } : {}),
    ...(input.annotations && Object.keys(input.annotations).length > 0 ? { annotations: input.annotations } : {}),
  };
  const pushed = await client.pushManifest(repository, manifest, { tag: input.tag, signal });
  return { digest: pushed.digest, mediaType: pushed.mediaType, size: pushed.size };
}

type ToChunkedSource = (data: BlobSource) => ChunkedSource;

/**
 * Uploads a blob unless the registry has it. A source that can be read twice (a Blob, a file, bytes) is hashed
 * first, so that one HEAD can skip it; a one-shot stream is uploaded as it comes.
 */
async function uploadUnlessPresent(
  client: ContainerRegistryClient,
  repository: string,
  toChunkedSource: ToChunkedSource,
  data: BlobSource,
  signal: AbortSignal,
  onBytes?: (bytes: number) => void,
): Promise<{ digest: string; size: number }> {
  const source = toChunkedSource(data);
  // uploadBlob itself skips a blob of one chunk with a HEAD; larger ones are worth a read to hash them first.
  if (source.rereadable && source.size !== undefined && source.size > DEFAULT_CHUNK_SIZE) {
    const digest = await digestOfSource(toChunkedSource(data), signal);
    if (await client.blobExists(repository, digest, { signal })) return { digest, size: source.size };
  }
  return client.uploadBlob(repository, data, {
    signal,
    onProgress: onBytes && ((progress) => onBytes(progress.loaded)),
  });
}

async function digestOfSource(source: ChunkedSource, signal: AbortSignal): Promise<string> {
  const hasher = await getDefaultHasherFactory()("sha256");
  for await (const chunk of source.chunks(4 * 1024 * 1024)) {
    signal.throwIfAborted();
    hasher.update(chunk);
  }
  return finishDigest("sha256", hasher);
}
