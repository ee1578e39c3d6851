/**
 * A paged iterator whose code loads on first use: the listing's module is imported when iteration starts, so a page
 * that never lists never downloads it.
 * @module
 */
import type { Page, PagedAsyncIterableIterator, PageSettings } from "./paged-iterator";

/** Wraps a paged iterator that `load` creates on the first `next()` or `byPage()`; nothing loads before. */
export function lazyPagedIterator<T>(
  load: () => Promise<PagedAsyncIterableIterator<T>>,
): PagedAsyncIterableIterator<T> {
  let loaded: Promise<PagedAsyncIterableIterator<T>> | undefined;
  const inner = () => (loaded ??= load());
  async function* pages(settings?: PageSettings): AsyncIterableIterator<Page<T[]>> {
    yield* (await inner()).byPage(settings);
  }
  const paged: PagedAsyncIterableIterator<T> = {
    next: async () => (await inner()).next(),
    [Symbol.asyncIterator]: () => paged,
    byPage: (settings) => pages(settings),
  };
  return paged;
}
