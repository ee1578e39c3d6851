import { describe, expect, it } from "vitest";
import { assertDigest, assertRepositoryName, assertTag, assertTagOrDigest } from "../../../../src/core/grammar/assert";
import { isDigest, parseDigest } from "../../../../src/core/grammar/digest";
import { isRepositoryName, isTag } from "../../../../src/core/grammar/reference";

const SHA256 = `sha256:${"a".repeat(64)}`;
const SHA512 = `sha512:${"b".repeat(128)}`;

describe("digest grammar", () => {
  it("accepts sha256 and sha512", () => {
    expect(parseDigest(SHA256)).toEqual({ algorithm: "sha256", hex: "a".repeat(64) });
    expect(isDigest(SHA512)).toBe(true);
  });

  it.each([
    `sha256:${"A".repeat(64)}`,
    `sha256:${"a".repeat(63)}`,
    `sha512:${"a".repeat(64)}`,
    `md5:${"a".repeat(32)}`,
    "sha256:",
    SHA256 + " ",
    42,
    null,
  ])("refuses %j", (value) => {
    expect(isDigest(value)).toBe(false);
    expect(() => assertDigest(value)).toThrow(TypeError);
  });
});

describe("repository and tag grammar", () => {
  it.each(["app", "team/app", "a.b_c__d-e---f/g", "x/y/z/0"])("accepts repository %j", (name) => {
    expect(isRepositoryName(name)).toBe(true);
  });

  it.each(["Team/app", "/app", "app/", "a//b", "a..b", "-a", "a_", ""])(
    "refuses repository %j with a TypeError naming it",
    (name) => {
      expect(() => assertRepositoryName(name)).toThrow(TypeError);
      expect(() => assertRepositoryName(name)).toThrow(JSON.stringify(name));
    },
  );

  it("refuses over-long names with a RangeError", () => {
    expect(() => assertRepositoryName("a".repeat(256))).toThrow(RangeError);
  });

  it.each(["v1", "latest", "_x", "1.2.3-rc.1", "A".repeat(128)])("accepts tag %j", (tag) =>
    expect(isTag(tag)).toBe(true),
  );
  it.each([".v1", "-v1", "v 1", "a/b", "A".repeat(129), ""])("refuses tag %j", (tag) =>
    expect(() => assertTag(tag)).toThrow(TypeError),
  );

  it("tells tags from digests", () => {
    expect(assertTagOrDigest("v1")).toBe("tag");
    expect(assertTagOrDigest(SHA256)).toBe("digest");
    expect(() => assertTagOrDigest("sha256:abc")).toThrow(/Invalid digest/);
  });

  it("bounds the quoted value in messages", () => {
    let message = "";
    try {
      assertTag("x".repeat(10_000));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.length).toBeLessThan(200);
  });
});
