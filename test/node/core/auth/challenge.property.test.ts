/** Property tests of the WWW-Authenticate parser: any input parses without throwing; generated challenges round-trip. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findChallenge, parseChallenges } from "../../../../src/core/auth/challenge";

const anyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.stringMatching(/^[\s,="\\A-Za-z]{0,80}$/),
);
const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,15}$/);
const value = fc.string({ unit: "binary", maxLength: 40 });
const quote = (text: string) => `"${text.replace(/["\\]/g, (char) => `\\${char}`)}"`;

describe("WWW-Authenticate parser (properties)", () => {
  it("never throws, and every challenge has a lowercase scheme and string parameters", () => {
    fc.assert(
      fc.property(anyText, (header) => {
        const challenges = parseChallenges(header);
        for (const challenge of challenges) {
          expect(challenge.scheme).toBe(challenge.scheme.toLowerCase());
          for (const param of Object.values(challenge.params)) expect(typeof param).toBe("string");
        }
        findChallenge(header, "bearer");
        findChallenge(header, "basic");
      }),
      { numRuns: 2_000 },
    );
  });

  it("round-trips generated challenges with quoted values holding commas, quotes and backslashes", () => {
    const challenge = fc.record({
      scheme: token,
      params: fc.dictionary(
        token.map((name) => name.toLowerCase()),
        value,
        { maxKeys: 4 },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(challenge, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(",", ", ", " ,  "),
        (challenges, separator) => {
          const header = challenges
            .map(
              ({ scheme, params }) =>
                `${scheme} ${Object.entries(params)
                  .map(([name, text]) => `${name}=${quote(text)}`)
                  .join(separator)}`,
            )
            .join(", ");
          const parsed = parseChallenges(header);
          expect(parsed.map((entry) => entry.scheme)).toEqual(challenges.map((entry) => entry.scheme.toLowerCase()));
          parsed.forEach((entry, index) => expect(entry.params).toEqual(challenges[index]!.params));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
