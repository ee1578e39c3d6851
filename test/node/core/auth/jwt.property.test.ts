/** Property tests of JWT expiry reading: any token reads without throwing; generated tokens give their exp back. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64Url, readJwtExpiry } from "../../../../src/core/auth/jwt";

const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const segment = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.base64String({ maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }).map(base64url),
);

describe("JWT exp (properties)", () => {
  it("never throws, whatever the token, and returns a finite number or undefined", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.tuple(segment, segment, segment).map((parts) => parts.join(".")),
        ),
        (token) => {
          const expiry = readJwtExpiry(token);
          expect(expiry === undefined || Number.isFinite(expiry)).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it("reads exp (seconds) back as milliseconds, and ignores exp that is not a finite number", () => {
    const claims = fc.record(
      {
        exp: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.double(), fc.string(), fc.constant(null)),
        sub: fc.string(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(claims, fc.string({ maxLength: 30 }), (payload, signature) => {
        const token = `${base64url('{"alg":"RS256"}')}.${base64url(JSON.stringify(payload))}.${base64url(signature)}`;
        // What survives JSON (so -0 is 0, as the token would carry it).
        const exp = (JSON.parse(JSON.stringify(payload)) as { exp?: unknown }).exp;
        expect(readJwtExpiry(token)).toBe(typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined);
      }),
      { numRuns: 2_000 },
    );
  });

  it("decodes base64url of any text, padded or not", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 100 }), (text) => {
        const encoded = base64url(text);
        expect(decodeBase64Url(encoded)).toBe(text);
        expect(decodeBase64Url(encoded + "=".repeat((4 - (encoded.length % 4)) % 4))).toBe(text);
      }),
    );
  });
});
