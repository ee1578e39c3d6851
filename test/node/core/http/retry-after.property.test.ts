/** Property tests of the Retry-After parser and the registry error-body parser: no throw, both Retry-After forms. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../../../src/core/http/retry-policy";
import { parseErrorBody } from "../../../../src/core/http/response-error";

describe("Retry-After and error bodies (properties)", () => {
  it("Retry-After: any text gives a non-negative delay or undefined", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.stringMatching(/^[A-Za-z]{3}, [0-9A-Za-z: ]{0,30}$/)),
        (value) => {
          const delay = parseRetryAfter(value);
          expect(delay === undefined || (Number.isSafeInteger(delay) && delay >= 0)).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it("Retry-After: seconds and HTTP dates", () => {
    const now = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
        expect(parseRetryAfter(new Date(now + seconds * 1000).toUTCString(), now)).toBe(seconds * 1000);
        expect(parseRetryAfter(new Date(now - seconds * 1000).toUTCString(), now)).toBe(0);
      }),
    );
  });

  it("error bodies: any text gives details with string codes, never a throw", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify({ errors: value })),
        ),
        (text) => {
          for (const detail of parseErrorBody(text)) expect(typeof detail.code).toBe("string");
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
