/**
 * The JSON shapes of /acr/v1, field for field as on the wire, as ACR's REST API answers.
 * @module
 */
import type { ManifestRecord, RepositoryRecord, TagRecord } from "./state";
import { formatInstant } from "./time";

/** `RepositoryAttributes`. */
export function repositoryJson(registry: string, repository: RepositoryRecord) {
  return {
    registry,
    imageName: repository.name,
    createdTime: formatInstant(repository.createdTime),
    lastUpdateTime: formatInstant(repository.lastUpdateTime),
    manifestCount: repository.manifests.size,
    tagCount: repository.tags.size,
    changeableAttributes: { ...repository.attributes },
  };
}

/** `TagAttributesBase`. */
export function tagJson(tag: TagRecord) {
  return {
    name: tag.name,
    digest: tag.digest,
    createdTime: formatInstant(tag.createdTime),
    lastUpdateTime: formatInstant(tag.lastUpdateTime),
    signed: false,
    changeableAttributes: { ...tag.attributes },
  };
}

/** `ManifestAttributesBase`: architecture and os only for images, references only for indexes. */
export function manifestJson(record: ManifestRecord, tags: string[]) {
  const { info } = record;
  return {
    digest: record.digest,
    imageSize: record.imageSize,
    createdTime: formatInstant(record.createdTime),
    lastUpdateTime: formatInstant(record.lastUpdateTime),
    ...(record.architecture === undefined ? {} : { architecture: record.architecture }),
    ...(record.os === undefined ? {} : { os: record.os }),
    mediaType: info.mediaType,
    ...(info.config ? { configMediaType: info.config.mediaType } : {}),
    ...(info.children.length > 0
      ? {
          references: info.children.map((child) => ({
            digest: child.digest,
            architecture: child.platform?.architecture,
            os: child.platform?.os,
          })),
        }
      : {}),
    tags,
    changeableAttributes: { ...record.attributes },
  };
}
