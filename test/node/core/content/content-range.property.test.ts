/** Property tests of the Content-Range and upload Range parsers: no throw, only consistent ranges, round-trips. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseContentRange, parseUploadRange, type ByteRange } from "../../../../src/core/content/content-range";

const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.stringMatching(/^(bytes)?[ =]?[0-9-]{0,30}(\/[0-9*]{0,25})?$/),
);

function consistent(range: ByteRange | undefined) {
  if (!range) return;
  expect(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end)).toBe(true);
  expect(range.end).toBeGreaterThanOrEqual(range.start);
  if (range.total !== undefined) expect(range.total).toBeGreaterThan(range.end);
}

describe("Content-Range and Range parsers (properties)", () => {
  it("never throw, and only return ranges that make sense", () => {
    fc.assert(
      fc.property(anyText, (header) => {
        consistent(parseContentRange(header));
        consistent(parseUploadRange(header));
      }),
      { numRuns: 3_000 },
    );
  });

  it("round-trip every valid range, and refuse end < start, end ≥ total and unsafe integers", () => {
    const safe = fc.maxSafeNat();
    fc.assert(
      fc.property(safe, safe, fc.option(safe, { nil: undefined }), (a, b, total) => {
        const start = Math.min(a, b);
        const end = Math.max(a, b);
        const header = `bytes ${start}-${end}/${total ?? "*"}`;
        const valid = total === undefined || total > end;
        expect(parseContentRange(header)).toEqual(
          valid ? { start, end, ...(total === undefined ? {} : { total }) } : undefined,
        );
        expect(parseUploadRange(`${start}-${end}`)).toEqual({ start, end });
        if (start !== end) expect(parseUploadRange(`${end}-${start}`)).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
    expect(parseContentRange(`bytes 0-${"9".repeat(20)}/*`)).toBeUndefined();
  });
});
