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
  name: string;
  registryLoginServer: string;
  createdOn: Date;
  lastUpdatedOn: Date;
  manifestCount: number;
  tagCount: number;
}

/** An image of a multi-platform index, as ACR lists it under the index's properties. */
export interface ArtifactManifestPlatform {
  digest: string;
  architecture?: ArtifactArchitecture;
  operatingSystem?: ArtifactOperatingSystem;
}

/** Properties of a manifest. */
export interface ArtifactManifestProperties extends Required<ChangeableProperties> {
  repositoryName: string;
  registryLoginServer: string;
  digest: string;
  sizeInBytes?: number;
  createdOn: Date;
  lastUpdatedOn: Date;
  architecture?: ArtifactArchitecture;
  operatingSystem?: ArtifactOperatingSystem;
  mediaType?: string;
  configMediaType?: string;
  /** The platform images of an index or manifest list. */
  relatedArtifacts: ArtifactManifestPlatform[];
  tags: string[];
  /** `host/repository@sha256:...`, a reference any OCI tool accepts. */
  fullyQualifiedReference: string;
}

/** Properties of a tag. */
export interface ArtifactTagProperties extends Required<ChangeableProperties> {
  repositoryName: string;
  registryLoginServer: string;
  name: string;
  digest: string;
  createdOn: Date;
  lastUpdatedOn: Date;
}
