/**
 * Repository operations of ACR's `/acr/v1` API; listing names also works on any OCI registry.
 * @module
 */
import { CATALOG_SCOPE } from "../auth/scope";
import { toRepositoryProperties, toWireChangeable } from "../models/map-properties";
import type { ChangeableProperties, RepositoryProperties } from "../models/properties";
import type { WireRepository } from "../models/wire";
import { mappingContext, registryUrl, type OperationContext, type OperationOptions } from "../operation-context";
import { createPagedIterator, type PagedAsyncIterableIterator } from "../paging/paged-iterator";
import { acrOrOciPages, lazyPages, listingPages } from "../resources/listing";
import { deleteAcrResource, requestJsonResource } from "../resources/resource-requests";

/** Lists the names of the registry's repositories: from `/acr/v1/_catalog`, or `/v2/_catalog` on other registries. */
export function listRepositoryNames(
  context: OperationContext,
  options: OperationOptions = {},
): PagedAsyncIterableIterator<string> {
  const acrPage = listingPages<{ repositories?: string[] }, string>(context, {
    path: "/acr/v1/_catalog",
    scope: CATALOG_SCOPE,
    items: (body) => body.repositories ?? [],
    signal: options.signal,
  });
  const ociPage = lazyPages(async () => {
    const [{ ociNamePages }, { withCatalogRefusals }] = await Promise.all([
      import("./oci-listing"),
      import("./catalog-refusal"),
    ]);
    return withCatalogRefusals(
      context,
      ociNamePages(context, {
        path: "/v2/_catalog",
        scope: CATALOG_SCOPE,
        field: "repositories",
        signal: options.signal,
      }),
    );
  });
  return createPagedIterator(acrOrOciPages(context, "listRepositoryNames", acrPage, ociPage));
}

/** Gets a repository's properties. */
export async function getRepositoryProperties(
  context: OperationContext,
  repository: string,
  options: OperationOptions = {},
): Promise<RepositoryProperties> {
  return sendRepositoryRequest(context, repository, { method: "GET", operation: "getRepositoryProperties" }, options);
}

/** Changes a repository's permission flags and returns its updated properties. */
export async function updateRepositoryProperties(
  context: OperationContext,
  repository: string,
  properties: ChangeableProperties,
  options: OperationOptions = {},
): Promise<RepositoryProperties> {
  return sendRepositoryRequest(
    context,
    repository,
    { method: "PATCH", body: toWireChangeable(properties), operation: "updateRepositoryProperties" },
    options,
  );
}

/** Deletes a repository with all its manifests and tags; a missing repository is not an error. */
export async function deleteRepository(
  context: OperationContext,
  repository: string,
  options: OperationOptions = {},
): Promise<void> {
  await deleteAcrResource(
    context,
    "deleteRepository",
    registryUrl(context, `/acr/v1/${repository}`),
    repository,
    options,
  );
}

async function sendRepositoryRequest(
  context: OperationContext,
  repository: string,
  request: { method: "GET" | "PATCH"; body?: object; operation: string },
  options: OperationOptions,
): Promise<RepositoryProperties> {
  const url = registryUrl(context, `/acr/v1/${repository}`);
  const body = await requestJsonResource<WireRepository>(context, {
    ...request,
    url,
    repository,
    signal: options.signal,
  });
  return toRepositoryProperties(body, mappingContext(context, repository));
}
