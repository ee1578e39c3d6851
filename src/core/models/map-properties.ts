/**
 * Mapping between ACR's wire JSON and acrkit's models.
 * @module
 */
import type {
  ArtifactManifestProperties,
  ArtifactTagProperties,
  ChangeableProperties,
  RepositoryProperties,
} from "./properties";
import type { WireChangeableAttributes, WireManifest, WireRepository, WireTag } from "./wire";

/** Fields every mapped item needs from its context. */
export interface MappingContext {
  /** The login server host, e.g. `myregistry.azurecr.io`. */
  registryLoginServer: string;
  repositoryName: string;
}

/** Maps `GET /acr/v1/{name}`. */
export function toRepositoryProperties(wire: WireRepository, context: MappingContext): RepositoryProperties {
  return {
    name: wire.imageName ?? context.repositoryName,
    registryLoginServer: wire.registry ?? context.registryLoginServer,
    createdOn: toDate(wire.createdTime),
    lastUpdatedOn: toDate(wire.lastUpdateTime),
    manifestCount: wire.manifestCount ?? 0,
    tagCount: wire.tagCount ?? 0,
    ...toChangeable(wire.changeableAttributes),
  };
}

/** Maps a tag of a tag listing or of `GET _tags/{tag}`. */
export function toTagProperties(wire: WireTag, context: MappingContext): ArtifactTagProperties {
  return {
    repositoryName: context.repositoryName,
    registryLoginServer: context.registryLoginServer,
    name: wire.name ?? "",
    digest: wire.digest ?? "",
    createdOn: toDate(wire.createdTime),
    lastUpdatedOn: toDate(wire.lastUpdateTime),
    ...toChangeable(wire.changeableAttributes),
  };
}

/** Maps a manifest of a manifest listing or of `GET _manifests/{digest}`. */
export function toManifestProperties(wire: WireManifest, context: MappingContext): ArtifactManifestProperties {
  const digest = wire.digest ?? "";
  return {
    repositoryName: context.repositoryName,
    registryLoginServer: context.registryLoginServer,
    digest,
    sizeInBytes: wire.imageSize,
    createdOn: toDate(wire.createdTime),
    lastUpdatedOn: toDate(wire.lastUpdateTime),
    architecture: wire.architecture ?? undefined,
    operatingSystem: wire.os ?? undefined,
    mediaType: wire.mediaType,
    configMediaType: wire.configMediaType,
    relatedArtifacts: (wire.references ?? []).map((reference) => ({
      digest: reference.digest ?? "",
      architecture: reference.architecture,
      operatingSystem: reference.os,
    })),
    tags: wire.tags ?? [],
    fullyQualifiedReference: `${context.registryLoginServer}/${context.repositoryName}@${digest}`,
    ...toChangeable(wire.changeableAttributes),
  };
}

/** Maps the permission flags; ACR omits none, but a missing flag reads as allowed, as on a fresh item. */
function toChangeable(wire: WireChangeableAttributes | undefined): Required<ChangeableProperties> {
  return {
    canDelete: wire?.deleteEnabled ?? true,
    canWrite: wire?.writeEnabled ?? true,
    canList: wire?.listEnabled ?? true,
    canRead: wire?.readEnabled ?? true,
  };
}

/** Builds the PATCH body: only the flags the caller set. */
export function toWireChangeable(properties: ChangeableProperties): WireChangeableAttributes {
  const wire: WireChangeableAttributes = {};
  if (properties.canDelete !== undefined) wire.deleteEnabled = properties.canDelete;
  if (properties.canWrite !== undefined) wire.writeEnabled = properties.canWrite;
  if (properties.canList !== undefined) wire.listEnabled = properties.canList;
  if (properties.canRead !== undefined) wire.readEnabled = properties.canRead;
  return wire;
}

/** Parses an RFC 3339 time (ACR sends 7 fractional digits, which `Date` accepts). */
function toDate(value: string | undefined): Date {
  return value ? new Date(value) : new Date(Number.NaN);
}
