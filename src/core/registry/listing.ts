/**
 * The paging shared by every `/acr/v1` listing: `n`, `last`, `orderby` and the `Link` header.
 * @module
 */
import { readJsonObject } from "../http/read-json";
import { findNextLink } from "../paging/link-header";
import { createPagedIterator, type PagedAsyncIterableIterator, type PageFetcher } from "../paging/paged-iterator";
import { registryUrl, resolvePageLink, type OperationContext, type OperationOptions } from "./context";

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
export function listingPages<TWire extends object, T>(context: OperationContext, listing: ListingRequest<TWire, T>): PageFetcher<T> {
  return async (continuationToken, maxPageSize) => {
    const url = continuationToken
      ? resolvePageLink(context, continuationToken)
      : registryUrl(context, listing.path, { ...listing.query, n: maxPageSize });
    const request = { method: "GET" as const, url, scope: listing.scope, headers: { accept: listing.accept ?? "application/json" }, signal: listing.signal, expect: [200] };
    return context.pipeline.read(request, async (response) => {
      const next = findNextLink(response.headers.get("link"));
      const body = await readJsonObject<TWire>(response, "GET", url);
      return { items: listing.items(body, response) ?? [], next: next === undefined ? undefined : resolvePageLink(context, next).href };
    });
  };
}
