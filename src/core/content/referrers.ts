/**
 * `listReferrers`: the manifests that name a subject, from the OCI 1.1 referrers API or, where a registry lacks it,
 * from the referrers tag; and whether the registry has the API, asked of the API itself.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { NetworkError } from "../errors/network-error";
import { RegistryError } from "../errors/registry-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { KnownManifestMediaType } from "../models/enums";
import type { OciDescriptor, OciImageIndex } from "../models/oci";
import { createPagedIterator, type FetchedPage, type PagedAsyncIterableIterator } from "../paging/paged-iterator";
import type { OperationOptions } from "../operation-context";
import { listingPages } from "../resources/listing";
import type { ContentContext } from "./context";

/** Options of `listReferrers`. */
export interface ListReferrersOptions extends OperationOptions {
  /** Only referrers of this artifact type (the manifest's `artifactType`, else its config's media type). */
  artifactType?: string;
}

/**
 * Lists the referrers of `digest`. Whether the registry has the referrers API is decided once per client, by the
 * API's own answer (see {@link referrersApiVerdict}); without it, the referrers tag is read instead.
 */
export function listReferrers(
  context: ContentContext,
  repository: string,
  digest: string,
  options: ListReferrersOptions = {},
): PagedAsyncIterableIterator<OciDescriptor> {
  const { artifactType } = options;
  const wanted = (descriptors: OciDescriptor[]) =>
    artifactType === undefined
      ? descriptors
      : descriptors.filter((descriptor) => descriptor.artifactType === artifactType);
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
  // The fallback reads and parses a manifest: its code is loaded only for registries without the API.
  const tagPage = async (): Promise<FetchedPage<OciDescriptor>> => {
    const { readReferrersTag } = await import("./referrers-tag");
    return { items: wanted(await readReferrersTag(context, repository, digest, options)) };
  };
  return createPagedIterator(async (continuationToken, maxPageSize) => {
    if (continuationToken !== undefined) return apiPage(continuationToken, maxPageSize);
    if (context.capabilities.referrersApi === false) return tagPage();
    try {
      const page = await apiPage(undefined, maxPageSize);
      context.capabilities.referrersApi = true;
      return page;
    } catch (error) {
      const verdict = referrersApiVerdict(error);
      if (verdict === "unknown") throw error;
      if (verdict === "absent") context.capabilities.referrersApi = false;
      return tagPage();
    }
  });
}

/**
 * Whether the registry serves the referrers API, asked with `GET /v2/<name>/referrers/<digest>` and remembered for
 * the client. The `OCI-Subject` header of a manifest PUT is not trusted for this: some registries (ECR) send it
 * without serving the API.
 */
export async function hasReferrersApi(
  context: ContentContext,
  repository: string,
  digest: string,
  options: OperationOptions = {},
): Promise<boolean> {
  const known = context.capabilities.referrersApi;
  if (known !== undefined) return known;
  const iterator = listReferrers(context, repository, digest, options).byPage({ maxPageSize: 1 });
  try {
    await iterator.next();
  } catch (error) {
    // No answer decides nothing; the caller's fallback then runs into the same failure if there is one.
    if (error instanceof NetworkError && error.reason === "connection") return false;
    throw error;
  } finally {
    await iterator.return?.(undefined);
  }
  return context.capabilities.referrersApi ?? false;
}

/**
 * What a failed referrers request says. A registry with the API never answers 404 (OCI distribution 1.1): a 404
 * means it has none; `NAME_UNKNOWN` says only that the repository is missing, and no
 * answer at all (in a browser, docker-registry's 404 lacks CORS headers) decides nothing but lets the tag be read.
 */
export function referrersApiVerdict(error: unknown): "absent" | "not-decided" | "unknown" {
  if (error instanceof NetworkError) return error.reason === "connection" ? "not-decided" : "unknown";
  if (!(error instanceof RegistryError)) return "unknown";
  if (error.statusCode === 404) return error.hasCode(OciErrorCode.NAME_UNKNOWN) ? "not-decided" : "absent";
  return "unknown";
}

function filtersApplied(response: Response): string[] {
  return (response.headers.get("oci-filters-applied") ?? "").split(",").map((part) => part.trim().toLowerCase());
}
