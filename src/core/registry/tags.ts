/**
 * Tag operations: ACR's `/acr/v1` API, and on other registries the OCI equivalents (`tags/list`, the OCI 1.1
 * DELETE of a tag).
 * @module
 */
import { repositoryScope } from "../auth/scope";
import type { ContentContext } from "../content/context";
import type { ArtifactTagOrder } from "../models/enums";
import { toTagProperties, toWireChangeable } from "../models/map-properties";
import type { ArtifactTagProperties, ChangeableProperties } from "../models/properties";
import type { WireTag } from "../models/wire";
import { createPagedIterator, type PagedAsyncIterableIterator } from "../paging/paged-iterator";
import { mappingContext, registryUrl, type OperationContext, type OperationOptions } from "../operation-context";
import { acrOrOciPages, lazyPages, listingPages } from "../resources/listing";
import { deleteAcrResource, requestJsonResource } from "../resources/resource-requests";

/** Options of {@link ContainerRegistryClient.listTagProperties}. */
export interface ListTagPropertiesOptions extends OperationOptions {
  /**
   * The order of the listing; by default the registry's (by name). A registry without `/acr/v1` keeps no
   * timestamps: its tags always come in name order.
   */
  orderBy?: ArtifactTagOrder;
  /**
   * Lists only the tags of this manifest digest. On a registry without `/acr/v1` this costs one HEAD per tag, as
   * `includeDigests` does.
   */
  digest?: string;
  /**
   * Fills in `digest` on a registry without `/acr/v1`, whose tag list has names only: one HEAD request per tag (at
   * most the client's `concurrency` at once). ACR lists digests anyway. Default false.
   */
  includeDigests?: boolean;
}

/** Lists a repository's tags with their properties: from `/acr/v1`, or from `/v2/<name>/tags/list` elsewhere. */
export function listTagProperties(
  context: ContentContext,
  repository: string,
  options: ListTagPropertiesOptions = {},
): PagedAsyncIterableIterator<ArtifactTagProperties> {
  const mapping = mappingContext(context, repository);
  const acrPage = listingPages<{ tags?: WireTag[] }, ArtifactTagProperties>(context, {
    path: `/acr/v1/${repository}/_tags`,
    scope: repositoryScope(repository, "metadata_read"),
    query: { orderby: options.orderBy, digest: options.digest },
    items: (body) => (body.tags ?? []).map((tag) => toTagProperties(tag, mapping)),
    signal: options.signal,
  });
  // The OCI fallback is loaded on first use: ACR users never download it.
  const ociPage = lazyPages(async () => (await import("./oci-tags")).ociTagPages(context, repository, options));
  return createPagedIterator(acrOrOciPages(context, "listTagProperties", acrPage, ociPage));
}

/** Gets a tag's properties. */
export async function getTagProperties(
  context: OperationContext,
  repository: string,
  tag: string,
  options: OperationOptions = {},
): Promise<ArtifactTagProperties> {
  return sendTagRequest(context, repository, tag, { method: "GET", operation: "getTagProperties" }, options);
}

/** Changes a tag's permission flags and returns its updated properties. */
export async function updateTagProperties(
  context: OperationContext,
  repository: string,
  tag: string,
  properties: ChangeableProperties,
  options: OperationOptions = {},
): Promise<ArtifactTagProperties> {
  return sendTagRequest(
    context,
    repository,
    tag,
    { method: "PATCH", body: toWireChangeable(properties), operation: "updateTagProperties" },
    options,
  );
}

/**
 * Removes a tag (the manifest stays); a missing tag is not an error. ACR's `/acr/v1` untags; elsewhere the OCI 1.1
 * `DELETE /v2/<name>/manifests/<tag>`, which a registry may not implement: then an UnsupportedOperationError.
 */
export async function deleteTag(
  context: OperationContext,
  repository: string,
  tag: string,
  options: OperationOptions = {},
): Promise<void> {
  await deleteAcrResource(
    context,
    "deleteTag",
    registryUrl(context, `/acr/v1/${repository}/_tags/${tag}`),
    repository,
    options,
    async () => (await import("./oci-tags")).deleteOciTag(context, repository, tag, options),
  );
}

/** Sends a GET or PATCH of `/acr/v1/<name>/_tags/<tag>` and maps the answer; `operation` names the caller in errors. */
export async function sendTagRequest(
  context: OperationContext,
  repository: string,
  tag: string,
  request: { method: "GET" | "PATCH"; body?: object; operation: string },
  options: OperationOptions,
): Promise<ArtifactTagProperties> {
  const url = registryUrl(context, `/acr/v1/${repository}/_tags/${tag}`);
  const required = ["tag.name", "tag.digest", "tag.createdTime", "tag.lastUpdateTime"];
  const body = await requestJsonResource<{ tag: WireTag }>(context, {
    ...request,
    url,
    repository,
    required,
    signal: options.signal,
  });
  return toTagProperties(body.tag, mappingContext(context, repository));
}
