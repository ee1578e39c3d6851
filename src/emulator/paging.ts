/**
 * Server-side paging with `n`, `last` and a relative `Link` header, as ACR pages.
 * @module
 */

/** Paging parameters read from a list request. */
export interface PageQuery {
  n: number;
  last: string | undefined;
  /** `orderby` as received (ACR echoes it, possibly empty, into the Link). */
  orderby: string;
}

/** Reads `n`, `last` and `orderby`; a missing or malformed `n` means the default page size. */
export function pageQuery(url: URL, defaultPageSize: number): PageQuery {
  const raw = url.searchParams.get("n");
  const n = raw !== null && /^\d+$/.test(raw) ? Number(raw) : defaultPageSize;
  return { n, last: url.searchParams.get("last") ?? undefined, orderby: url.searchParams.get("orderby") ?? "" };
}

/** One page of items and, when more exist, the Link header pointing at the next one. */
export interface Page<T> {
  items: T[];
  link: string | undefined;
}

/**
 * Cuts a page from items already in their final order.
 *
 * `last` is the key of the last item of the previous page (a name or digest, never an index, as in ACR):
 * in lexical order the page starts after it even if it no longer exists; in time order it starts after
 * that item, and is empty when the item is gone.
 */
export function takePage<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  query: PageQuery,
  path: string,
  lexical: boolean,
): Page<T> {
  let start = 0;
  if (query.last !== undefined) {
    const last = query.last;
    start = lexical
      ? items.findIndex((item) => keyOf(item) > last)
      : items.findIndex((item) => keyOf(item) === last) + 1;
    if (start < 0 || (!lexical && start === 0)) start = items.length;
  }
  const page = items.slice(start, start + query.n);
  const more = query.n > 0 && start + query.n < items.length;
  const lastKey = page.length > 0 ? keyOf(page[page.length - 1]!) : "";
  const link = more
    ? `<${path}?last=${encodeURIComponent(lastKey)}&n=${query.n}&orderby=${encodeURIComponent(query.orderby)}>; rel="next"`
    : undefined;
  return { items: page, link };
}

/** Headers carrying the Link of a page, if any. */
export function linkHeaders(page: Page<unknown>): Record<string, string> {
  return page.link ? { Link: page.link } : {};
}
