/**
 * Typed OCI and Docker manifests, indexes and descriptors (OCI image-spec 1.1, Docker image manifest v2.2).
 * @module
 */

/** The platform an image runs on. */
export interface OciPlatform {
  architecture: string;
  os: string;
  "os.version"?: string;
  "os.features"?: string[];
  variant?: string;
  features?: string[];
}

/** The platform asked of a multi-platform image: `os` and `architecture`, and a `variant` to be exact. */
export type PlatformSelector = Pick<OciPlatform, "os" | "architecture" | "variant">;

/** A pointer to content: its media type, digest and size. */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  artifactType?: string;
  platform?: OciPlatform;
}

/** An OCI image manifest (also used for artifacts, with `artifactType`). */
export interface OciImageManifest {
  schemaVersion: 2;
  mediaType?: "application/vnd.oci.image.manifest.v1+json";
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  subject?: OciDescriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index: a list of manifests, one per platform, or a referrers list. */
export interface OciImageIndex {
  schemaVersion: 2;
  mediaType?: "application/vnd.oci.image.index.v1+json";
  artifactType?: string;
  manifests: OciDescriptor[];
  subject?: OciDescriptor;
  annotations?: Record<string, string>;
}

/** A Docker image manifest, schema 2. */
export interface DockerManifest {
  schemaVersion: 2;
  mediaType: "application/vnd.docker.distribution.manifest.v2+json";
  config: OciDescriptor;
  layers: OciDescriptor[];
}

/** A Docker manifest list (multi-platform image). */
export interface DockerManifestList {
  schemaVersion: 2;
  mediaType: "application/vnd.docker.distribution.manifest.list.v2+json";
  manifests: (OciDescriptor & { platform: OciPlatform })[];
}

/** Any manifest acrkit knows the shape of. */
export type Manifest = OciImageManifest | OciImageIndex | DockerManifest | DockerManifestList;
