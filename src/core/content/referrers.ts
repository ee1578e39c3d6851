/**
 * `listReferrers`: the manifests that name a subject, from the OCI 1.1 referrers API or, where a registry lacks it,
 * from the referrers tag.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { RegistryError } from "../errors/registry-error";
import { KnownManifestMediaType } from "../models/enums";
import type { OciDescriptor, OciImageIndex } from "../models/oci";
import { createPagedIterator, type PagedAsyncIterableIterator } from "../paging/paged-iterator";
import type { OperationOptions } from "../registry/context";
import { listingPages } from "../registry/listing";
import type { ContentContext } from "./context";

/** Options of `listReferrers`. */
export interface ListReferrersOptions extends OperationOptions {
  /** Only referrers of this artifact type (the manifest's `artifactType`, else its config's media type). */
  artifactType?: string;
}

/**
 * Lists the referrers of `digest`. A 404 from the referrers API means the registry does not have it (a registry
 * that has it answers an unknown subject with an empty list), so the referrers tag is read instead.
 */
export function listReferrers(
  context: ContentContext,
  repository: string,
  digest: string,
  options: ListReferrersOptions = {},
): PagedAsyncIterableIterator<OciDescriptor> {
  const { artifactType } = options;
  const wanted = (descriptors: OciDescriptor[]) =>
    artifactType === undefined ? descriptors : descriptors.filter((descriptor) => descriptor.artifactType === artifactType);
  const apiPage = listingPages<Partial<OciImageIndex>, OciDescriptor>(context, {
    path: `/v2/${repository}/referrers/${digest}`,
    scope: repositoryScope(repository, "pull"),
    query: { artifactType },
    accept: KnownManifestMediaType.OciImageIndex,
    signal: options.signal,
    // The filter is optional for registries; the header says whether this one applied it.
    items: (body, response) => {
      const manifests = Array.isArray(body.manifests) ? body.manifests : [];
      return filtersApplied(response).includes("artifacttype") ? manifests : wanted(manifests);
    },
  });
  return createPagedIterator(async (continuationToken, maxPageSize) => {
    if (continuationToken !== undefined) return apiPage(continuationToken, maxPageSize);
    try {
      return await apiPage(undefined, maxPageSize);
    } catch (error) {
      if (!(error instanceof RegistryError && error.statusCode === 404)) throw error;
      // The fallback reads and parses a manifest: its code is loaded only by registries without the API.
      const { readReferrersTag } = await import("./referrers-tag");
      return { items: wanted(await readReferrersTag(context, repository, digest, options)) };
    }
  });
}

function filtersApplied(response: Response): string[] {
  return (response.headers.get("oci-filters-applied") ?? "").split(",").map((part) => part.trim().toLowerCase());
}
