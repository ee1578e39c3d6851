/**
 * The paging shared by every `/acr/v1` listing: `n`, `last`, `orderby` and the `Link` header; and the choice
 * between an `/acr/v1` listing and its OCI `/v2` fallback.
 * @module
 */
import { readJsonObject } from "../http/read-json";
import { findNextLink } from "../paging/link-header";
import { createPagedIterator, type PagedAsyncIterableIterator, type PageFetcher } from "../paging/paged-iterator";
import { withAcrApi } from "./acr-api";
import { registryUrl, resolvePageLink, type OperationContext, type OperationOptions } from "../operation-context";

/** One listing: where it starts, what it needs, and how to read its items. */
export interface ListingRequest<TWire extends object, T> extends OperationOptions {
  path: string;
  scope: string;
  query?: Record<string, string | undefined>;
  /** The `Accept` header; default `application/json`. */
  accept?: string;
  /** Reads the page's items from its JSON body; the response is there for headers that qualify them. */
  items: (body: TWire, response: Response) => T[];
}

/** Pages through a listing, following the `Link` header (relative or absolute) until there is none. */
export function listPaged<TWire extends object, T>(
  context: OperationContext,
  listing: ListingRequest<TWire, T>,
): PagedAsyncIterableIterator<T> {
  return createPagedIterator(listingPages(context, listing));
}

/** Fetches one page of a listing: the first without a token, else the page its `Link` named. */
export function listingPages<TWire extends object, T>(
  context: OperationContext,
  listing: ListingRequest<TWire, T>,
): PageFetcher<T> {
  return async (continuationToken, maxPageSize) => {
    const url = continuationToken
      ? resolvePageLink(context, continuationToken)
      : registryUrl(context, listing.path, { ...listing.query, n: maxPageSize });
    const request = {
      method: "GET" as const,
      url,
      scope: listing.scope,
      headers: { accept: listing.accept ?? "application/json" },
      signal: listing.signal,
      expect: [200],
    };
    return context.pipeline.read(request, async (response) => {
      const next = findNextLink(response.headers.get("link"));
      const body = await readJsonObject<TWire>(response, "GET", url);
      return {
        items: listing.items(body, response) ?? [],
        next: next === undefined ? undefined : resolvePageLink(context, next).href,
      };
    });
  };
}

/**
 * Pages from `/acr/v1` where the registry has it, else from the OCI `/v2` equivalent; the first page decides (see
 * acr-api.ts), and a continuation token goes back to the API that issued it.
 */
export function acrOrOciPages<T>(
  context: OperationContext,
  operation: string,
  acrPage: PageFetcher<T>,
  ociPage: PageFetcher<T>,
): PageFetcher<T> {
  return (continuationToken, maxPageSize) => {
    if (continuationToken !== undefined) {
      const fromAcr = resolvePageLink(context, continuationToken).pathname.includes("/acr/v1/");
      return (fromAcr ? acrPage : ociPage)(continuationToken, maxPageSize);
    }
    return withAcrApi(
      context,
      operation,
      () => acrPage(undefined, maxPageSize),
      () => ociPage(undefined, maxPageSize),
    );
  };
}

/** A page fetcher whose code is imported on its first page; one instance for the whole walk. */
export function lazyPages<T>(load: () => Promise<PageFetcher<T>>): PageFetcher<T> {
  let loading: Promise<PageFetcher<T>> | undefined;
  return async (continuationToken, maxPageSize) => (await (loading ??= load()))(continuationToken, maxPageSize);
}
