/**
 * Tag operations of ACR's `/acr/v1` API.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import type { ArtifactTagOrder } from "../models/enums";
import { toTagProperties, toWireChangeable } from "../models/map-properties";
import type { ArtifactTagProperties, ChangeableProperties } from "../models/properties";
import type { WireTag } from "../models/wire";
import type { PagedAsyncIterableIterator } from "../paging/paged-iterator";
import { mappingContext, registryUrl, type OperationContext, type OperationOptions } from "./context";
import { deleteResource, requestJsonResource } from "./resource-requests";
import { listPaged } from "./listing";

/** Options of {@link ContainerRegistryClient.listTagProperties}. */
export interface ListTagPropertiesOptions extends OperationOptions {
  /** The order of the listing; by default the registry's (by name). */
  orderBy?: ArtifactTagOrder;
  /** Lists only the tags of this manifest digest. */
  digest?: string;
}

/** Lists a repository's tags with their properties. */
export function listTagProperties(
  context: OperationContext,
  repository: string,
  options: ListTagPropertiesOptions = {},
): PagedAsyncIterableIterator<ArtifactTagProperties> {
  const mapping = mappingContext(context, repository);
  return listPaged<{ tags?: WireTag[] }, ArtifactTagProperties>(context, {
    path: `/acr/v1/${repository}/_tags`,
    scope: repositoryScope(repository, "metadata_read"),
    query: { orderby: options.orderBy, digest: options.digest },
    items: (body) => (body.tags ?? []).map((tag) => toTagProperties(tag, mapping)),
    signal: options.signal,
  });
}

/** Gets a tag's properties. */
export async function getTagProperties(
  context: OperationContext,
  repository: string,
  tag: string,
  options: OperationOptions = {},
): Promise<ArtifactTagProperties> {
  return sendTagRequest(context, repository, tag, { method: "GET" }, options);
}

/** Changes a tag's permission flags and returns its updated properties. */
export async function updateTagProperties(
  context: OperationContext,
  repository: string,
  tag: string,
  properties: ChangeableProperties,
  options: OperationOptions = {},
): Promise<ArtifactTagProperties> {
  return sendTagRequest(context, repository, tag, { method: "PATCH", body: toWireChangeable(properties) }, options);
}

/** Removes a tag (the manifest stays); a missing tag is not an error. */
export async function deleteTag(context: OperationContext, repository: string, tag: string, options: OperationOptions = {}): Promise<void> {
  await deleteResource(context, registryUrl(context, `/acr/v1/${repository}/_tags/${tag}`), repository, options);
}

async function sendTagRequest(
  context: OperationContext,
  repository: string,
  tag: string,
  request: { method: "GET" | "PATCH"; body?: object },
  options: OperationOptions,
): Promise<ArtifactTagProperties> {
  const url = registryUrl(context, `/acr/v1/${repository}/_tags/${tag}`);
  const required = ["tag.name", "tag.digest", "tag.createdTime", "tag.lastUpdateTime"];
  const body = await requestJsonResource<{ tag: WireTag }>(context, { ...request, url, repository, required, signal: options.signal });
  return toTagProperties(body.tag, mappingContext(context, repository));
}
