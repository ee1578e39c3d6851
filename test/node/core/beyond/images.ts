/**
 * Builds real images through the client, so the same fixtures work on the emulator and on docker-registry:
 * single-platform images, indexes (OCI or Docker lists) over them, and referrer artifacts.
 * @module
 */
import type {
  ContainerRegistryClient,
  OciDescriptor,
  PlatformSelector,
  PushManifestResult,
} from "../../../../src/index";
import { patterned } from "../content/support";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
/** The OCI empty descriptor's content. */
const EMPTY_CONFIG = "{}";

/** A pushed manifest, as an index or a referrer would point at it. */
export interface PushedManifest extends OciDescriptor {
  layerDigests: string[];
  configDigest: string;
}

/** Options of {@link pushImage}. */
export interface ImageOptions {
  platform?: PlatformSelector;
  /** Layer sizes in bytes; default two small layers. */
  layers?: number[];
  /** Makes the content distinct between calls. */
  seed?: number;
  tag?: string;
  docker?: boolean;
}

let seeds = 1000;

/** Uploads layers and a config, then the manifest; returns its descriptor. */
export async function pushImage(
  client: ContainerRegistryClient,
  repository: string,
  options: ImageOptions = {},
): Promise<PushedManifest> {
  const seed = options.seed ?? seeds++;
  const platform = options.platform ?? { os: "linux", architecture: "amd64" };
  const layers = await Promise.all(
    (options.layers ?? [300, 500]).map((size, index) =>
      client.uploadBlob(repository, patterned(size, seed * 31 + index)),
    ),
  );
  const config = new TextEncoder().encode(
    JSON.stringify({ ...platform, rootfs: { type: "layers", diff_ids: [] }, seed }),
  );
  const configBlob = await client.uploadBlob(repository, config);
  const mediaType = options.docker ? DOCKER_MANIFEST : OCI_MANIFEST;
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: options.docker
        ? "application/vnd.docker.container.image.v1+json"
        : "application/vnd.oci.image.config.v1+json",
      ...configBlob,
    },
    layers: layers.map((layer) => ({
      mediaType: options.docker
        ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
        : "application/vnd.oci.image.layer.v1.tar+gzip",
      ...layer,
    })),
  };
  const pushed = await client.pushManifest(repository, manifest, { tag: options.tag });
  return {
    mediaType,
    digest: pushed.digest,
    size: pushed.size,
    platform,
    layerDigests: layers.map((layer) => layer.digest),
    configDigest: configBlob.digest,
  };
}

/** Pushes one image per platform and an index (or Docker manifest list) over them. */
export async function pushIndex(
  client: ContainerRegistryClient,
  repository: string,
  platforms: PlatformSelector[],
  options: { tag?: string; docker?: boolean; layers?: number[] } = {},
): Promise<{ digest: string; mediaType: string; images: PushedManifest[] }> {
  const images: PushedManifest[] = [];
  for (const platform of platforms)
    images.push(await pushImage(client, repository, { platform, docker: options.docker, layers: options.layers }));
  const mediaType = options.docker ? DOCKER_LIST : OCI_INDEX;
  const index = {
    schemaVersion: 2,
    mediaType,
    manifests: images.map(({ mediaType: type, digest, size, platform }) => ({
      mediaType: type,
      digest,
      size,
      platform,
    })),
  };
  const digest = await client.setManifest(repository, index, { tag: options.tag });
  return { digest, mediaType, images };
}

/** Pushes an artifact (empty config, one layer) whose subject is `subject`. */
export async function pushReferrer(
  client: ContainerRegistryClient,
  repository: string,
  subject: Pick<OciDescriptor, "mediaType" | "digest" | "size">,
  artifactType: string,
  payload = `payload ${seeds++}`,
): Promise<PushManifestResult> {
  const config = await client.uploadBlob(repository, EMPTY_CONFIG);
  const layer = await client.uploadBlob(repository, payload);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: { mediaType: "application/vnd.oci.empty.v1+json", ...config },
    layers: [{ mediaType: "application/octet-stream", ...layer }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { "org.opencontainers.image.created": "2026-01-01T00:00:00Z" },
  };
  return client.pushManifest(repository, manifest);
}
