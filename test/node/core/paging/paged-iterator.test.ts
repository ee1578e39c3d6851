import { describe, expect, it } from "vitest";
import { createPagedIterator, type FetchedPage } from "../../../../src/core/paging/paged-iterator";

function pagesOf(links: Record<string, FetchedPage<number>>) {
  const requested: (string | undefined)[] = [];
  const iterator = createPagedIterator<number>(async (token) => {
    requested.push(token);
    return links[token ?? "first"]!;
  });
  return { iterator, requested };
}

describe("createPagedIterator", () => {
  it("walks items and pages, carrying each page's continuation token", async () => {
    const { iterator, requested } = pagesOf({
      first: { items: [1, 2], next: "b" },
      b: { items: [3], next: "c" },
      c: { items: [4] },
    });
    const items: number[] = [];
    for await (const item of iterator) items.push(item);
    expect(items).toEqual([1, 2, 3, 4]);
    expect(requested).toEqual([undefined, "b", "c"]);
    const tokens: (string | undefined)[] = [];
    for await (const page of iterator.byPage()) tokens.push(page.continuationToken);
    expect(tokens).toEqual(["b", "c", undefined]);
  });

  it("starts from a continuation token", async () => {
    const { iterator } = pagesOf({ first: { items: [1], next: "b" }, b: { items: [2] } });
    const pages: number[][] = [];
    for await (const page of iterator.byPage({ continuationToken: "b" })) pages.push([...page]);
    expect(pages).toEqual([[2]]);
  });

  it("stops a registry whose links loop instead of listing for ever", async () => {
    const { iterator, requested } = pagesOf({
      first: { items: [1], next: "b" },
      b: { items: [2], next: "c" },
      c: { items: [3], next: "b" },
    });
    const items: number[] = [];
    await expect(async () => {
      for await (const item of iterator) items.push(item);
    }).rejects.toThrow(RangeError);
    expect(items).toEqual([1, 2]);
    expect(requested).toHaveLength(3);
  });

  it("refuses a page size that is not a positive integer", async () => {
    const { iterator } = pagesOf({ first: { items: [] } });
    await expect(iterator.byPage({ maxPageSize: 1.5 }).next()).rejects.toThrow(RangeError);
  });
});
