/**
 * Typed OCI and Docker manifests, indexes and descriptors (OCI image-spec 1.1, Docker image manifest v2.2).
 * @module
 */

/** The platform an image runs on. */
export interface OciPlatform {
  /** The CPU architecture, e.g. `amd64`, `arm64`. */
  architecture: string;
  /** The operating system, e.g. `linux`, `windows`. */
  os: string;
  /** The operating system version, e.g. a Windows build `10.0.17763.1879`. */
  "os.version"?: string;
  /** Required operating system features, e.g. `win32k`. */
  "os.features"?: string[];
  /** The CPU variant, e.g. `v8` for arm64. */
  variant?: string;
  /** Reserved by the OCI image spec. */
  features?: string[];
}

/** The platform asked of a multi-platform image: `os` and `architecture`, and a `variant` to be exact. */
export type PlatformSelector = Pick<OciPlatform, "os" | "architecture" | "variant">;

/** A pointer to content: its media type, digest and size. */
export interface OciDescriptor {
  /** The media type of the content pointed at. */
  mediaType: string;
  /** The content's digest, e.g. `sha256:...`. */
  digest: string;
  /** The content's size in bytes. */
  size: number;
  /** Other places the content may be downloaded from. */
  urls?: string[];
  /** Free-form metadata, e.g. `org.opencontainers.image.title`. */
  annotations?: Record<string, string>;
  /** The content itself, base64-encoded, for very small blobs. */
  data?: string;
  /** The artifact type of the manifest pointed at (referrers lists set it). */
  artifactType?: string;
  /** The platform of the manifest pointed at (in an index). */
  platform?: OciPlatform;
}

/** An OCI image manifest (also used for artifacts, with `artifactType`). */
export interface OciImageManifest {
  /** Always 2. */
  schemaVersion: 2;
  /** The OCI image manifest type; setManifest sends it as the Content-Type. */
  mediaType?: "application/vnd.oci.image.manifest.v1+json";
  /** What kind of artifact this is, when it is not a container image (e.g. a signature or an SBOM). */
  artifactType?: string;
  /** The config blob. */
  config: OciDescriptor;
  /** The layer blobs, base first. */
  layers: OciDescriptor[];
  /** The manifest this one refers to (a signature's image, say): it then appears in the subject's referrers. */
  subject?: OciDescriptor;
  /** Free-form metadata. */
  annotations?: Record<string, string>;
}

/** An OCI image index: a list of manifests, one per platform, or a referrers list. */
export interface OciImageIndex {
  /** Always 2. */
  schemaVersion: 2;
  /** The OCI image index type; setManifest sends it as the Content-Type. */
  mediaType?: "application/vnd.oci.image.index.v1+json";
  /** What kind of artifact this is, when it is not a multi-platform image. */
  artifactType?: string;
  /** The manifests, each with its platform in a multi-platform image. */
  manifests: OciDescriptor[];
  /** The manifest this one refers to, for referrers. */
  subject?: OciDescriptor;
  /** Free-form metadata. */
  annotations?: Record<string, string>;
}

/** A Docker image manifest, schema 2. */
export interface DockerManifest {
  /** Always 2. */
  schemaVersion: 2;
  /** The Docker schema 2 manifest type; required, as Docker manifests always carry it. */
  mediaType: "application/vnd.docker.distribution.manifest.v2+json";
  /** The config blob. */
  config: OciDescriptor;
  /** The layer blobs, base first. */
  layers: OciDescriptor[];
}

/** A Docker manifest list (multi-platform image). */
export interface DockerManifestList {
  /** Always 2. */
  schemaVersion: 2;
  /** The Docker manifest list type; required, as Docker lists always carry it. */
  mediaType: "application/vnd.docker.distribution.manifest.list.v2+json";
  /** One manifest per platform. */
  manifests: (OciDescriptor & {
    /** The platform the manifest is for; required in a Docker list. */
    platform: OciPlatform;
  })[];
}

/** Any manifest acrkit knows the shape of. */
export type Manifest = OciImageManifest | OciImageIndex | DockerManifest | DockerManifestList;
