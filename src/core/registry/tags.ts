/**
 * Tag operations: ACR's `/acr/v1` API, and on other registries the OCI equivalents (`tags/list`, the OCI 1.1
 * DELETE of a tag).
 * @module
 */
import { repositoryScope } from "../auth/scope";
import type { ContentContext } from "../content/context";
import { createLimiter } from "../copy/limiter";
import { RegistryError } from "../errors/registry-error";
import { UnsupportedOperationError } from "../errors/unsupported-operation-error";
import type { ArtifactTagOrder } from "../models/enums";
import { toTagProperties, toWireChangeable } from "../models/map-properties";
import type { ArtifactTagProperties, ChangeableProperties } from "../models/properties";
import type { WireTag } from "../models/wire";
import { createPagedIterator, type PagedAsyncIterableIterator, type PageFetcher } from "../paging/paged-iterator";
import { discard } from "../pipeline";
import { isMissingItem } from "./acr-api";
import { mappingContext, registryUrl, type OperationContext, type OperationOptions } from "./context";
import { acrOrOciPages, listingPages } from "./listing";
import { ociNamePages } from "./oci-listing";
import { deleteAcrResource, requestJsonResource } from "./resource-requests";

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
  return createPagedIterator(acrOrOciPages(context, "listTagProperties", acrPage, ociTagPages(context, repository, options)));
}

/** Tag properties from the OCI tag list: names, and digests when asked for; what OCI does not know stays undefined. */
function ociTagPages(context: ContentContext, repository: string, options: ListTagPropertiesOptions): PageFetcher<ArtifactTagProperties> {
  const names = ociNamePages(context, { path: `/v2/${repository}/tags/list`, scope: repositoryScope(repository, "pull"), field: "tags", signal: options.signal });
  const limit = createLimiter(context.concurrency);
  return async (continuationToken, maxPageSize) => {
    const page = await names(continuationToken, maxPageSize);
    let tags = page.items.map((name): ArtifactTagProperties => ({
      repositoryName: repository,
      registryLoginServer: context.loginServer,
      name,
      digest: undefined,
      createdOn: undefined,
      lastUpdatedOn: undefined,
      canDelete: undefined,
      canWrite: undefined,
      canList: undefined,
      canRead: undefined,
    }));
    if (options.includeDigests || options.digest !== undefined) {
      const { resolveManifestDigest } = await import("../content/manifests");
      const resolve = async (tag: ArtifactTagProperties) => {
        try {
          tag.digest = await resolveManifestDigest(context, repository, tag.name, options);
        } catch (error) {
          // A tag deleted since the list was read is left out rather than failing the listing.
          if (!(error instanceof RegistryError && error.statusCode === 404)) throw error;
        }
      };
      await Promise.all(tags.map((tag) => limit(() => resolve(tag))));
      tags = tags.filter((tag) => tag.digest !== undefined && (options.digest === undefined || tag.digest === options.digest));
    }
    return { items: tags, next: page.next };
  };
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
  return sendTagRequest(context, repository, tag, { method: "PATCH", body: toWireChangeable(properties), operation: "updateTagProperties" }, options);
}

/**
 * Removes a tag (the manifest stays); a missing tag is not an error. ACR's `/acr/v1` untags; elsewhere the OCI 1.1
 * `DELETE /v2/<name>/manifests/<tag>`, which a registry may not implement: then {@link UnsupportedOperationError}.
 */
export async function deleteTag(context: OperationContext, repository: string, tag: string, options: OperationOptions = {}): Promise<void> {
  await deleteAcrResource(context, "deleteTag", registryUrl(context, `/acr/v1/${repository}/_tags/${tag}`), repository, options, () =>
    deleteOciTag(context, repository, tag, options),
  );
}

/**
 * The OCI 1.1 tag delete. A registry without it answers 405 `UNSUPPORTED`, or, as distribution 2.8 does, 400
 * `DIGEST_INVALID` because it reads every reference as a digest.
 */
async function deleteOciTag(context: OperationContext, repository: string, tag: string, options: OperationOptions): Promise<void> {
  try {
    const response = await context.pipeline.send({
      method: "DELETE",
      url: registryUrl(context, `/v2/${repository}/manifests/${tag}`),
      scope: repositoryScope(repository, "delete"),
      signal: options.signal,
      expect: [200, 202, 204],
    });
    await discard(response);
  } catch (error) {
    if (isMissingItem(error)) return;
    if (error instanceof RegistryError && (error.statusCode === 405 || error.code === "UNSUPPORTED" || error.code === "DIGEST_INVALID")) {
      throw new UnsupportedOperationError(
        "deleteTag",
        context.loginServer,
        "cannot delete a tag alone (no OCI 1.1 tag delete); deleteManifest removes the manifest with all its tags",
        { cause: error },
      );
    }
    throw error;
  }
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
  const body = await requestJsonResource<{ tag?: WireTag }>(context, { ...request, url, repository, signal: options.signal });
  return toTagProperties(body.tag ?? {}, mappingContext(context, repository));
}
