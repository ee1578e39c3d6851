/**
 * The OCI listings `/v2/_catalog` and `/v2/<name>/tags/list`, for registries without `/acr/v1`: paged with `n`,
 * `last` and `Link` where the registry pages, and cut into pages here where it does not (distribution 2.8 ignores
 * `n` and `last` on `tags/list` and sends every tag at once).
 * @module
 */
import { readJsonObject } from "../http/read-json";
import { findNextLink } from "../paging/link-header";
import type { FetchedPage, PageFetcher } from "../paging/paged-iterator";
import { registryUrl, resolvePageLink, type OperationContext, type OperationOptions } from "../operation-context";

/** One OCI name listing: its path, the scope it needs, and the field of the body that holds the names. */
export interface OciNameListing extends OperationOptions {
  /** `/v2/_catalog` or `/v2/<name>/tags/list`. */
  path: string;
  scope: string;
  field: "repositories" | "tags";
}

/**
 * Fetches pages of names. A page token is the next page's URL (the registry's `Link`, or one built here with `n`
 * and `last`), so a token from `byPage` resumes in a new iterator too. When the registry ignored `n` or `last`,
 * the names are put in lexical order (the order OCI pages in) and cut here; the whole list is kept for the next
 * pages of the same walk, so a registry that sends everything at once is asked once per walk.
 */
export function ociNamePages(context: OperationContext, listing: OciNameListing): PageFetcher<string> {
  let everything: string[] | undefined;
  return async (continuationToken, maxPageSize) => {
    const url = continuationToken
      ? resolvePageLink(context, continuationToken)
      : registryUrl(context, listing.path, { n: maxPageSize });
    const n = pageSize(url.searchParams.get("n"));
    const last = url.searchParams.get("last") ?? undefined;
    if (continuationToken !== undefined && everything !== undefined)
      return cut(context, listing.path, everything, n, last);
    everything = undefined;
    const response = await context.pipeline.send({
      method: "GET",
      url,
      scope: listing.scope,
      headers: { accept: "application/json" },
      signal: listing.signal,
      expect: [200],
    });
    const next = findNextLink(response.headers.get("link"));
    const body = await readJsonObject<Record<string, unknown>>(response, "GET", url);
    // distribution 2.8 sends `"tags": null` for a repository whose tags were all deleted.
    const names = Array.isArray(body[listing.field])
      ? (body[listing.field] as unknown[]).filter((name): name is string => typeof name === "string")
      : [];
    if (next !== undefined) return { items: names, next: resolvePageLink(context, next).href };
    const ignoredPaging =
      (n !== undefined && names.length > n) || (last !== undefined && names.some((name) => name <= last));
    if (!ignoredPaging) return { items: names };
    everything = [...names].sort(compareCodeUnits);
    return cut(context, listing.path, everything, n, last);
  };
}

/** The page after `last` of at most `n` names from a sorted list, and the token of the next one. */
function cut(
  context: OperationContext,
  path: string,
  sorted: readonly string[],
  n: number | undefined,
  last: string | undefined,
): FetchedPage<string> {
  const after = last === undefined ? sorted : sorted.filter((name) => name > last);
  const items = n === undefined ? [...after] : after.slice(0, n);
  if (items.length === after.length || items.length === 0) return { items };
  return { items, next: registryUrl(context, path, { n, last: items[items.length - 1] }).href };
}

function pageSize(value: string | null): number | undefined {
  const size = value === null ? Number.NaN : Number(value);
  return Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

/** Lexical order by code unit, as OCI defines the order of tags and repositories. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
