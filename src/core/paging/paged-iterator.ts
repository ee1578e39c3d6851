/**
 * Item-by-item and page-by-page iteration over a listing the registry serves in pages.
 * @module
 */

/** Settings of {@link PagedAsyncIterableIterator.byPage}. */
export interface PageSettings {
  /** The most items a page should hold (the registry's `n`). */
  maxPageSize?: number;
  /** Where to resume: a page's `continuationToken`. */
  continuationToken?: string;
}

/** One page: its items, and the token of the next page (`undefined` on the last). */
export type Page<TPage> = TPage & {
  /** The next page's token for `byPage({ continuationToken })`; `undefined` on the last page. */
  continuationToken?: string;
};

/** An async iterator of items that can also be walked page by page. */
export interface PagedAsyncIterableIterator<T, TPage = T[]> {
  /** The next item, fetching the next page when the current one is used up. */
  next(): Promise<IteratorResult<T>>;
  /** This iterator itself, so that `for await` walks the items. */
  [Symbol.asyncIterator](): PagedAsyncIterableIterator<T, TPage>;
  /** Iterates over whole pages. */
  byPage(settings?: PageSettings): AsyncIterableIterator<Page<TPage>>;
}

/** What one page request returns. */
export interface FetchedPage<T> {
  items: T[];
  /** The next page's link, or undefined on the last page. */
  next?: string;
}

/** Fetches the page at `continuationToken` (or the first page), with at most `maxPageSize` items. */
export type PageFetcher<T> = (
  continuationToken: string | undefined,
  maxPageSize: number | undefined,
) => Promise<FetchedPage<T>>;

/** Builds a paged iterator from a page fetcher. Nothing is requested until iteration starts. */
export function createPagedIterator<T>(
  fetchPage: PageFetcher<T>,
  defaultPageSize?: number,
): PagedAsyncIterableIterator<T> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<Page<T[]>> {
    let token = settings.continuationToken;
    const size = settings.maxPageSize ?? defaultPageSize;
    if (size !== undefined && (!Number.isInteger(size) || size < 1)) {
      throw new RangeError(`maxPageSize must be a positive integer, got ${String(size)}`);
    }
    // A registry whose next link leads back to a page already read would otherwise be listed for ever.
    const visited = new Set<string | undefined>([token]);
    do {
      const page = await fetchPage(token, size);
      token = page.next;
      if (token !== undefined && visited.has(token)) {
        throw new RangeError(
          `The registry's paging loops: the next page link ${JSON.stringify(token.slice(0, 200))} was already followed`,
        );
      }
      visited.add(token);
      yield Object.assign(page.items, { continuationToken: token });
    } while (token !== undefined);
  }
  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page;
  }
  const iterator = items();
  const paged: PagedAsyncIterableIterator<T> = {
    next: () => iterator.next(),
    [Symbol.asyncIterator]: () => paged,
    byPage: (settings) => pages(settings),
  };
  return paged;
}
