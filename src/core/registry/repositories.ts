/**
 * Repository operations of ACR's `/acr/v1` API.
 * @module
 */
import { CATALOG_SCOPE } from "../auth/scope";
import { toRepositoryProperties, toWireChangeable } from "../models/map-properties";
import type { ChangeableProperties, RepositoryProperties } from "../models/properties";
import type { WireRepository } from "../models/wire";
import type { PagedAsyncIterableIterator } from "../paging/paged-iterator";
import { mappingContext, registryUrl, type OperationContext, type OperationOptions } from "./context";
import { deleteResource, requestJsonResource } from "./resource-requests";
import { listPaged } from "./listing";

/** Lists the names of the registry's repositories. */
export function listRepositoryNames(context: OperationContext, options: OperationOptions = {}): PagedAsyncIterableIterator<string> {
  return listPaged<{ repositories?: string[] }, string>(context, {
    path: "/acr/v1/_catalog",
    scope: CATALOG_SCOPE,
    items: (body) => body.repositories ?? [],
    signal: options.signal,
  });
}

/** Gets a repository's properties. */
export async function getRepositoryProperties(
  context: OperationContext,
  repository: string,
  options: OperationOptions = {},
): Promise<RepositoryProperties> {
  return sendRepositoryRequest(context, repository, { method: "GET" }, options);
}

/** Changes a repository's permission flags and returns its updated properties. */
export async function updateRepositoryProperties(
  context: OperationContext,
  repository: string,
  properties: ChangeableProperties,
  options: OperationOptions = {},
): Promise<RepositoryProperties> {
  return sendRepositoryRequest(context, repository, { method: "PATCH", body: toWireChangeable(properties) }, options);
}

/** Deletes a repository with all its manifests and tags; a missing repository is not an error. */
export async function deleteRepository(context: OperationContext, repository: string, options: OperationOptions = {}): Promise<void> {
  await deleteResource(context, registryUrl(context, `/acr/v1/${repository}`), repository, options);
}

async function sendRepositoryRequest(
  context: OperationContext,
  repository: string,
  request: { method: "GET" | "PATCH"; body?: object },
  options: OperationOptions,
): Promise<RepositoryProperties> {
  const url = registryUrl(context, `/acr/v1/${repository}`);
  const body = await requestJsonResource<WireRepository>(context, { ...request, url, repository, signal: options.signal });
  return toRepositoryProperties(body, mappingContext(context, repository));
}
