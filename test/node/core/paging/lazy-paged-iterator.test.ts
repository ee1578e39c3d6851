import { describe, expect, it } from "vitest";
import { lazyPagedIterator } from "../../../../src/core/paging/lazy-paged-iterator";
import { createPagedIterator } from "../../../../src/core/paging/paged-iterator";

/** A listing of 5 items served 2 per page, and a count of how often its module was "loaded". */
function lazyListing() {
  const state = { loads: 0 };
  const iterator = lazyPagedIterator(async () => {
    state.loads++;
    return createPagedIterator<number>(async (token, size) => {
      const start = Number(token ?? 0);
      const end = Math.min(5, start + (size ?? 2));
      return { items: [1, 2, 3, 4, 5].slice(start, end), next: end < 5 ? String(end) : undefined };
    }, 2);
  });
  return { iterator, state };
}

describe("lazyPagedIterator", () => {
  it("loads nothing until iteration starts, then loads once and yields every item", async () => {
    const { iterator, state } = lazyListing();
    expect(state.loads).toBe(0);
    const items: number[] = [];
    for await (const item of iterator) items.push(item);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(state.loads).toBe(1);
  });

  it("walks pages with their continuation tokens and resumes from one", async () => {
    const { iterator, state } = lazyListing();
    const pages: Array<{ items: number[]; token?: string }> = [];
    for await (const page of iterator.byPage({ maxPageSize: 2 }))
      pages.push({ items: [...page], token: page.continuationToken });
    expect(pages).toEqual([
      { items: [1, 2], token: "2" },
      { items: [3, 4], token: "4" },
      { items: [5], token: undefined },
    ]);
    const resumed: number[][] = [];
    for await (const page of iterator.byPage({ continuationToken: "3", maxPageSize: 5 })) resumed.push([...page]);
    expect(resumed).toEqual([[4, 5]]);
    expect(state.loads).toBe(1);
  });

  it("reports a failed load from next() and from byPage()", async () => {
    const failing = lazyPagedIterator<number>(() => Promise.reject(new Error("chunk failed to load")));
    await expect(failing.next()).rejects.toThrow("chunk failed to load");
    await expect(failing.byPage().next()).rejects.toThrow("chunk failed to load");
  });
});
