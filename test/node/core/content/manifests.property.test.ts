/** Property tests of manifest JSON parsing: arbitrary bytes give an object or a TypeError, nothing else. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseManifestJson } from "../../../../src/core/content/manifests";

const encode = (text: string) => new TextEncoder().encode(text);

describe("manifest JSON (properties)", () => {
  it("arbitrary bytes parse to a plain object or throw a TypeError", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 300 }).map(encode),
      fc.json().map(encode),
      fc.jsonValue().map((value) => encode(JSON.stringify(value))),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        try {
          const parsed = parseManifestJson(input);
          expect(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message.length).toBeLessThan(300);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it("every JSON object round-trips", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        expect(parseManifestJson(encode(JSON.stringify(object)))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
      { numRuns: 1_000 },
    );
  });

  it("deeply nested JSON is a TypeError or an object, never a crash", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), (depth) => {
        const text = `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`;
        expect(parseManifestJson(encode(text))).toHaveProperty("a");
      }),
      { numRuns: 20 },
    );
  });
});
