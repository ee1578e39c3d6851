/** Property tests of the Link parser: any input parses without throwing; generated links round-trip. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findNextLink, parseLinkHeader } from "../../../../src/core/paging/link-header";

const anyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.stringMatching(/^[<>;,="\\ a-z]{0,80}$/),
);
const target = fc.stringMatching(/^\/[A-Za-z0-9/_.?&=%-]{0,40}$/);

describe("Link parser (properties)", () => {
  it("never throws and returns string targets and parameters", () => {
    fc.assert(
      fc.property(anyText, (header) => {
        for (const link of parseLinkHeader(header)) {
          expect(typeof link.target).toBe("string");
          for (const param of Object.values(link.params)) expect(typeof param).toBe("string");
        }
        const next = findNextLink(header);
        expect(next === undefined || typeof next === "string").toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("finds the next link among generated links, quoted or not", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ target, rel: fc.constantFrom("next", "prev", "last", "first"), quoted: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        (links) => {
          const header = links
            .map(({ target: url, rel, quoted }) => `<${url}>; rel=${quoted ? `"${rel}"` : rel}`)
            .join(", ");
          expect(parseLinkHeader(header).map((link) => link.target)).toEqual(links.map((link) => link.target));
          expect(findNextLink(header)).toBe(links.find((link) => link.rel === "next")?.target);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
