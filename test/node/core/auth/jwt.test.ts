import { describe, expect, it } from "vitest";
import { decodeBase64Url, readJwtExpiry } from "../../../../src/core/auth/jwt";

function jwt(payload: object): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${encode({ alg: "none" })}.${encode(payload)}.sig`;
}

describe("readJwtExpiry", () => {
  it("reads exp in milliseconds", () => {
    expect(readJwtExpiry(jwt({ exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
  });

  it("decodes base64url payloads that standard base64 would mangle", () => {
    // "~~~" encodes to characters outside standard base64's alphabet in url-safe form
    const token = jwt({ exp: 42, sub: "~~~???>>>" });
    expect(token.split(".")[1]).toMatch(/[-_]/);
    expect(readJwtExpiry(token)).toBe(42_000);
  });

  it.each(["", "a.b", "a.b.c.d", "x.!!!.y", `x.${btoa("not json")}.y`, jwt({ exp: "soon" }), jwt({})])(
    "gives undefined for %j",
    (token) => {
      expect(readJwtExpiry(token)).toBeUndefined();
    },
  );

  it("decodes unpadded UTF-8", () => {
    expect(decodeBase64Url("w6k")).toBe("é");
  });
});
