import { describe, expect, it } from "vitest";
import { findNextLink, parseLinkHeader } from "../../../../src/core/paging/link-header";

describe("Link header", () => {
  it("reads ACR's relative next link", () => {
    expect(findNextLink('</acr/v1/_catalog?last=library%2Fbusybox&n=2&orderby=>; rel="next"')).toBe(
      "/acr/v1/_catalog?last=library%2Fbusybox&n=2&orderby=",
    );
  });

  it("finds next among several links and unquoted rel", () => {
    const header = '<https://r/v2/a/tags/list?last=x>; rel="prev", <https://r/v2/a/tags/list?last=y&n=2>; rel=next';
    expect(findNextLink(header)).toBe("https://r/v2/a/tags/list?last=y&n=2");
    expect(parseLinkHeader(header)).toHaveLength(2);
  });

  it("accepts several relation types and odd spacing", () => {
    expect(findNextLink('<  /next  >  ;   REL = "last next"')).toBe("/next");
  });

  it("keeps commas inside the target", () => {
    expect(findNextLink('</v2/_catalog?last=a,b&n=1>; rel="next"')).toBe("/v2/_catalog?last=a,b&n=1");
  });

  it.each([null, undefined, "", "garbage", "<unterminated; rel=next", '</x>; rel="prev"'])(
    "has no next link in %j",
    (header) => {
      expect(findNextLink(header)).toBeUndefined();
    },
  );
});
