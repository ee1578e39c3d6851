/**
 * Seeding helpers: put content straight into the model, bypassing HTTP, auth and attribute rules.
 * @module
 */
import type { StoredBlob } from "./blobs";
import type { Environment } from "./context";
import { sha256Digest } from "./hashing";
import { parseJsonObject } from "./http";
import { inspectManifest } from "./manifest";
import { MediaType } from "./media-types";
import type { ChangeableAttributes } from "./state";
import type {
  AttributeTarget,
  SeedImageOptions,
  SeedIndexOptions,
  SeedManifestOptions,
  SeededImage,
  SeededIndex,
} from "./types";

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string | object): Uint8Array {
  if (data instanceof Uint8Array) return data;
  return encoder.encode(typeof data === "string" ? data : JSON.stringify(data));
}

/** Stores bytes as a blob of the repository. */
export async function seedBlob(env: Environment, repository: string, data: Uint8Array | string): Promise<StoredBlob> {
  const bytes = bytesOf(data);
  const blob = { digest: await sha256Digest(bytes), size: bytes.byteLength, chunks: [bytes] };
  env.registry.linkBlob(repository, blob);
  return blob;
}

/** Stores a manifest whose blobs and children are already in the repository; throws on invalid input. */
export async function seedManifest(env: Environment, options: SeedManifestOptions) {
  const bytes = bytesOf(options.manifest);
  const json = parseJsonObject(bytes);
  if (!json) throw new TypeError("seedManifest: the manifest is not a JSON object");
  const contentType =
    options.mediaType ?? (typeof json.mediaType === "string" ? json.mediaType : MediaType.ociManifest);
  const inspection = inspectManifest(json, contentType);
  if (!inspection.ok) throw new TypeError(`seedManifest: ${inspection.message}`);
  const missing = env.registry.missingReference(options.repository, inspection.info);
  if (missing) throw new TypeError(`seedManifest: ${missing} is not in ${options.repository}`);
  const digest = await sha256Digest(bytes);
  env.registry.putManifest(options.repository, digest, bytes, inspection.info);
  const repository = env.registry.ensureRepository(options.repository);
  for (const tag of options.tags ?? []) env.registry.tag(repository, tag, digest);
  return { digest, mediaType: inspection.info.mediaType, size: bytes.byteLength };
}

/** Pushes layers, a config carrying the platform, and an image manifest. */
export async function seedImage(env: Environment, options: SeedImageOptions): Promise<SeededImage> {
  const docker = options.mediaType === "docker";
  const layerData =
    typeof options.layers === "object"
      ? options.layers
      : Array.from({ length: options.layers ?? 1 }, (_, index) =>
          // Unique per call, so two seeded images never collapse into one digest.
          encoder.encode(`acrkit emulator layer ${index} ${crypto.randomUUID()}`),
        );
  const layers = await Promise.all(layerData.map((data) => seedBlob(env, options.repository, data)));
  const platform = {
    architecture: options.architecture ?? "amd64",
    os: options.os ?? "linux",
    ...(options.variant ? { variant: options.variant } : {}),
  };
  const configJson = {
    ...platform,
    rootfs: { type: "layers", diff_ids: layers.map((layer) => layer.digest) },
    config: {},
    ...options.config,
  };
  const config = await seedBlob(env, options.repository, JSON.stringify(configJson));
  const manifestType = docker ? MediaType.dockerManifest : MediaType.ociManifest;
  const manifest = {
    schemaVersion: 2,
    mediaType: manifestType,
    config: {
      mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig,
      digest: config.digest,
      size: config.size,
    },
    layers: layers.map((layer) => ({
      mediaType: docker ? MediaType.dockerLayer : MediaType.ociLayer,
      digest: layer.digest,
      size: layer.size,
    })),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  const seeded = await seedManifest(env, { repository: options.repository, manifest, tags: options.tags ?? [] });
  return { ...seeded, configDigest: config.digest, layerDigests: layers.map((layer) => layer.digest) };
}

/** Pushes one image per platform and an index (or Docker manifest list) over them. */
export async function seedIndex(env: Environment, options: SeedIndexOptions): Promise<SeededIndex> {
  const docker = options.mediaType === "docker";
  const platforms = options.platforms ?? [
    { architecture: "amd64", os: "linux" },
    { architecture: "arm64", os: "linux" },
  ];
  const manifests = await Promise.all(
    platforms.map((platform) =>
      seedImage(env, { repository: options.repository, ...platform, mediaType: docker ? "docker" : "oci" }),
    ),
  );
  const indexType = docker ? MediaType.dockerList : MediaType.ociIndex;
  const index = {
    schemaVersion: 2,
    mediaType: indexType,
    manifests: manifests.map((image, position) => ({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.size,
      platform: platforms[position],
    })),
  };
  const seeded = await seedManifest(env, { repository: options.repository, manifest: index, tags: options.tags ?? [] });
  return { ...seeded, manifests };
}

/** Creates `count` repositories with one tagged image each; names sort in creation order. */
export async function seedRepositories(
  env: Environment,
  count: number,
  options: { prefix?: string; tags?: string[] } = {},
): Promise<string[]> {
  const width = Math.max(3, String(count - 1).length);
  const names = Array.from(
    { length: count },
    (_, index) => `${options.prefix ?? "repo"}${String(index).padStart(width, "0")}`,
  );
  for (const repository of names) await seedImage(env, { repository, tags: options.tags ?? ["latest"] });
  return names;
}

/** Changes the attributes of a repository, or of a tag or a manifest in it; throws when the target is missing. */
export function setAttributes(
  env: Environment,
  target: AttributeTarget,
  attributes: Partial<ChangeableAttributes>,
): void {
  const repository = env.registry.repository(target.repository);
  const object =
    target.tag !== undefined
      ? repository?.tags.get(target.tag)
      : target.digest !== undefined
        ? repository?.manifests.get(target.digest)
        : repository;
  if (!object) throw new TypeError(`setAttributes: no such target ${JSON.stringify(target)}`);
  object.attributes = { ...object.attributes, ...attributes };
}
