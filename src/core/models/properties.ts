/**
 * The registry metadata models: plain objects, dates as `Date`.
 * @module
 */
import type { ArtifactArchitecture, ArtifactOperatingSystem } from "./enums";

/** The four permission flags ACR keeps on repositories, manifests and tags. */
export interface ChangeableProperties {
  /** Whether the item may be deleted. */
  canDelete?: boolean;
  /** Whether the item may be overwritten (for a tag: moved). */
  canWrite?: boolean;
  /** Whether the item appears in listings. */
  canList?: boolean;
  /** Whether the item may be pulled. */
  canRead?: boolean;
}

/** Properties of a repository. */
export interface RepositoryProperties extends Required<ChangeableProperties> {
  /** The repository name, e.g. `team/app`. */
  name: string;
  /** The registry's login server, e.g. `myregistry.azurecr.io`. */
  registryLoginServer: string;
  /** When the repository was created. */
  createdOn: Date;
  /** When anything in it last changed. */
  lastUpdatedOn: Date;
  /** How many manifests it holds. */
  manifestCount: number;
  /** How many tags it holds. */
  tagCount: number;
}

/** An image of a multi-platform index, as ACR lists it under the index's properties. */
export interface ArtifactManifestPlatform {
  /** The platform image's manifest digest. */
  digest: string;
  /** Its CPU architecture, when the registry knows it. */
  architecture?: ArtifactArchitecture;
  /** Its operating system, when the registry knows it. */
  operatingSystem?: ArtifactOperatingSystem;
}

/** Properties of a manifest. */
export interface ArtifactManifestProperties extends Required<ChangeableProperties> {
  /** The repository the manifest is in. */
  repositoryName: string;
  /** The registry's login server, e.g. `myregistry.azurecr.io`. */
  registryLoginServer: string;
  /** The manifest digest, e.g. `sha256:...`. */
  digest: string;
  /** The image size ACR reports (`imageSize`): the manifest with the blobs it references. */
  sizeInBytes?: number;
  /** When the manifest was pushed. */
  createdOn: Date;
  /** When it or its properties last changed. */
  lastUpdatedOn: Date;
  /** The image's CPU architecture (from its config), when known. */
  architecture?: ArtifactArchitecture;
  /** The image's operating system (from its config), when known. */
  operatingSystem?: ArtifactOperatingSystem;
  /** The manifest's media type, e.g. the OCI image manifest type. */
  mediaType?: string;
  /** The media type of the manifest's config blob. */
  configMediaType?: string;
  /** The platform images of an index or manifest list. */
  relatedArtifacts: ArtifactManifestPlatform[];
  /** The tags pointing at this manifest. */
  tags: string[];
  /** `host/repository@sha256:...`, a reference any OCI tool accepts. */
  fullyQualifiedReference: string;
}

/**
 * The permission flags of a tag: booleans from ACR, `undefined` from a registry without `/acr/v1` (docker-registry,
 * Harbor, Zot, GitHub's registry), which keeps no such flags.
 */
export interface TagFlags {
  /** Whether the tag may be deleted; `undefined` without `/acr/v1`. */
  canDelete: boolean | undefined;
  /** Whether the tag may be moved; `undefined` without `/acr/v1`. */
  canWrite: boolean | undefined;
  /** Whether the tag appears in listings; `undefined` without `/acr/v1`. */
  canList: boolean | undefined;
  /** Whether the tag may be pulled; `undefined` without `/acr/v1`. */
  canRead: boolean | undefined;
}

/**
 * Properties of a tag. From ACR every field is set; from a registry without `/acr/v1` (listed through the OCI
 * `tags/list`) only the names are known, and the fields documented so are `undefined`.
 */
export interface ArtifactTagProperties extends TagFlags {
  /** The repository the tag is in. */
  repositoryName: string;
  /** The registry's login server, e.g. `myregistry.azurecr.io`. */
  registryLoginServer: string;
  /** The tag, e.g. `latest`. */
  name: string;
  /**
   * The digest of the manifest the tag points at. Without `/acr/v1`: `undefined` unless listed with
   * `includeDigests: true` (one HEAD per tag).
   */
  digest: string | undefined;
  /** When the tag was created. Without `/acr/v1`: `undefined` (OCI keeps no timestamps). */
  createdOn: Date | undefined;
  /** When the tag last moved or changed. Without `/acr/v1`: `undefined`. */
  lastUpdatedOn: Date | undefined;
}
