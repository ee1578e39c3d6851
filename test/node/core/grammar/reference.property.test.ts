/** Property tests of repository names and tags: any value is judged without throwing, and the checks throw typed errors. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertRepositoryName, assertTag } from "../../../../src/core/grammar/assert";
import { isRepositoryName, isTag, MAX_REPOSITORY_NAME_LENGTH } from "../../../../src/core/grammar/reference";

const component = fc.stringMatching(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/);
const name = fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const anyValue = fc.oneof(
  fc.anything(),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.stringMatching(/^[A-Za-z0-9._/-]{0,300}$/),
);

describe("references (properties)", () => {
  it("generated names and tags are accepted", () => {
    fc.assert(
      fc.property(name, fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/), (repository, tag) => {
        expect(isRepositoryName(repository)).toBe(repository.length <= MAX_REPOSITORY_NAME_LENGTH);
        expect(isTag(tag)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("anything else is judged without throwing, and the checks throw only TypeError or RangeError", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const validName = isRepositoryName(value);
        const validTag = isTag(value);
        if (validName) expect(value).toMatch(/^[a-z0-9]/);
        if (validTag) expect((value as string).length).toBeLessThanOrEqual(128);
        for (const check of [assertRepositoryName, assertTag] as Array<(value: unknown) => unknown>) {
          try {
            check(value);
          } catch (error) {
            expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
          }
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it("names with uppercase, empty components or leading separators are refused", () => {
    fc.assert(
      fc.property(name, fc.constantFrom("A", "/", "//", "-", ".", "_", ":"), (repository, bad) => {
        expect(isRepositoryName(`${bad}${repository}`)).toBe(false);
      }),
    );
  });
});
