/** Property tests of the digest grammar and its input checks: no throw but TypeError/RangeError, exact acceptance. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertDigest, assertTagOrDigest } from "../../../../src/core/grammar/assert";
import { formatDigest, isDigest, parseDigest } from "../../../../src/core/grammar/digest";

const anyValue = fc.oneof(
  fc.anything(),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.stringMatching(/^sha(256|512):[0-9a-fA-F]{0,130}$/),
);

describe("digests (properties)", () => {
  it("parse any value without throwing; accept exactly sha256:<64 hex> and sha512:<128 hex>", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const parsed = parseDigest(value);
        const valid = typeof value === "string" && /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(value);
        expect(parsed !== undefined).toBe(valid);
        expect(isDigest(value)).toBe(valid);
        if (parsed) expect(formatDigest(parsed.algorithm, parsed.hex)).toBe(value);
      }),
      { numRuns: 3_000 },
    );
  });

  it("the input checks throw only TypeError or RangeError, naming a bounded value", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        for (const check of [assertDigest, assertTagOrDigest] as Array<(value: unknown) => unknown>) {
          try {
            check(value);
          } catch (error) {
            expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
            expect((error as Error).message.length).toBeLessThan(300);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("round-trips generated digests", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("sha256" as const, "sha512" as const),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (algorithm, seed) => {
          const hex = Array.from(
            { length: algorithm === "sha256" ? 64 : 128 },
            (_, index) => "0123456789abcdef"[(seed + index * 7) % 16],
          ).join("");
          expect(parseDigest(formatDigest(algorithm, hex))).toEqual({ algorithm, hex });
        },
      ),
    );
  });
});
