/**
 * Manifest-property operations of ACR's `/acr/v1` API.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { looksLikeDigest } from "../grammar/digest";
import type { ArtifactManifestOrder } from "../models/enums";
import { toManifestProperties, toWireChangeable } from "../models/map-properties";
import type { ArtifactManifestProperties, ChangeableProperties } from "../models/properties";
import type { WireManifest } from "../models/wire";
import { createPagedIterator, type PagedAsyncIterableIterator } from "../paging/paged-iterator";
import { withAcrApi } from "../resources/acr-api";
import { mappingContext, registryUrl, type OperationContext, type OperationOptions } from "../operation-context";
import { requestJsonResource } from "../resources/resource-requests";
import { listingPages } from "../resources/listing";
import { sendTagRequest } from "./tags";

/** Options of {@link ContainerRegistryClient.listManifestProperties}. */
export interface ListManifestPropertiesOptions extends OperationOptions {
  /** The order of the listing; by default the registry's. */
  orderBy?: ArtifactManifestOrder;
}

/** Lists a repository's manifests with their properties. */
export function listManifestProperties(
  context: OperationContext,
  repository: string,
  options: ListManifestPropertiesOptions = {},
): PagedAsyncIterableIterator<ArtifactManifestProperties> {
  const mapping = mappingContext(context, repository);
  const page = listingPages<{ manifests?: WireManifest[] }, ArtifactManifestProperties>(context, {
    path: `/acr/v1/${repository}/_manifests`,
    scope: repositoryScope(repository, "metadata_read"),
    query: { orderby: options.orderBy },
    items: (body) => (body.manifests ?? []).map((manifest) => toManifestProperties(manifest, mapping)),
    signal: options.signal,
  });
  // OCI has no listing of manifests: on a registry without /acr/v1 the first page fails with UnsupportedOperationError.
  return createPagedIterator((continuationToken, maxPageSize) =>
    continuationToken === undefined
      ? withAcrApi(context, "listManifestProperties", () => page(undefined, maxPageSize))
      : page(continuationToken, maxPageSize),
  );
}

/** Gets a manifest's properties, by tag or digest. */
export async function getManifestProperties(
  context: OperationContext,
  repository: string,
  tagOrDigest: string,
  options: OperationOptions = {},
): Promise<ArtifactManifestProperties> {
  return sendManifestRequest(
    context,
    repository,
    tagOrDigest,
    { method: "GET", operation: "getManifestProperties" },
    options,
  );
}

/** Changes a manifest's permission flags, by tag or digest, and returns its updated properties. */
export async function updateManifestProperties(
  context: OperationContext,
  repository: string,
  tagOrDigest: string,
  properties: ChangeableProperties,
  options: OperationOptions = {},
): Promise<ArtifactManifestProperties> {
  const body = toWireChangeable(properties);
  return sendManifestRequest(
    context,
    repository,
    tagOrDigest,
    { method: "PATCH", body, operation: "updateManifestProperties" },
    options,
  );
}

/** Resolves a tag to its manifest digest through ACR's tag properties; a digest is returned as it is. */
export async function resolveDigest(
  context: OperationContext,
  repository: string,
  tagOrDigest: string,
  options: OperationOptions,
  operation = "getTagProperties",
): Promise<string> {
  if (looksLikeDigest(tagOrDigest)) return tagOrDigest;
  return (await sendTagRequest(context, repository, tagOrDigest, { method: "GET", operation }, options)).digest!;
}

async function sendManifestRequest(
  context: OperationContext,
  repository: string,
  tagOrDigest: string,
  request: { method: "GET" | "PATCH"; body?: object; operation: string },
  options: OperationOptions,
): Promise<ArtifactManifestProperties> {
  const digest = await resolveDigest(context, repository, tagOrDigest, options, request.operation);
  const url = registryUrl(context, `/acr/v1/${repository}/_manifests/${digest}`);
  const required = ["manifest.digest", "manifest.createdTime", "manifest.lastUpdateTime"];
  const body = await requestJsonResource<{ manifest: WireManifest }>(context, {
    ...request,
    url,
    repository,
    required,
    signal: options.signal,
  });
  return toManifestProperties(body.manifest, mappingContext(context, repository));
}
