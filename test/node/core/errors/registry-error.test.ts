/**
 * RegistryError's codes: `code` is the first entry of the registry's error body, `hasCode` looks at every entry, and
 * the OCI distribution spec's codes are exported as constants.
 */
import { describe, expect, it } from "vitest";
import { OciErrorCode, RegistryError } from "../../../../src/index";
import { refusalOf } from "../../../../src/core/content/upload-refusal";

const answer = (statusCode: number, ...codes: string[]) =>
  new RegistryError({
    statusCode,
    method: "PATCH",
    url: "http://127.0.0.1:5000/v2/a/blobs/uploads/1",
    details: codes.map((code) => ({ code, message: `${code} said` })),
  });

describe("RegistryError.hasCode", () => {
  it("finds a code in any entry, and code stays the first", () => {
    const error = answer(403, OciErrorCode.UNAUTHORIZED, OciErrorCode.DENIED);
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.hasCode(OciErrorCode.DENIED)).toBe(true);
    expect(error.hasCode(OciErrorCode.UNAUTHORIZED)).toBe(true);
    expect(error.hasCode(OciErrorCode.NAME_UNKNOWN)).toBe(false);
  });

  it("answers true when any of several codes is there, false for an empty body", () => {
    expect(answer(400, "UNKNOWN", "SIZE_INVALID").hasCode(OciErrorCode.DIGEST_INVALID, OciErrorCode.SIZE_INVALID)).toBe(
      true,
    );
    expect(answer(400).hasCode(OciErrorCode.UNKNOWN)).toBe(false);
    expect(answer(400, "SIZE_INVALID").hasCode()).toBe(false);
  });

  it("names every code of the OCI distribution spec's table by its own string", () => {
    const spec = [
      "BLOB_UNKNOWN",
      "BLOB_UPLOAD_INVALID",
      "BLOB_UPLOAD_UNKNOWN",
      "DIGEST_INVALID",
      "MANIFEST_BLOB_UNKNOWN",
      "MANIFEST_INVALID",
      "MANIFEST_UNKNOWN",
      "NAME_INVALID",
      "NAME_UNKNOWN",
      "SIZE_INVALID",
      "UNAUTHORIZED",
      "DENIED",
      "UNSUPPORTED",
      "TOOMANYREQUESTS",
    ];
    for (const code of spec) expect((OciErrorCode as Record<string, string>)[code]).toBe(code);
    for (const [name, value] of Object.entries(OciErrorCode)) expect(value).toBe(name);
  });
});

describe("call sites read every entry", () => {
  it("takes a small-chunk refusal whose code is not the first entry", () => {
    expect(refusalOf(answer(400, "UNKNOWN", "SIZE_INVALID"), 1024, true)?.kind).toBe("small-chunk");
    expect(refusalOf(answer(400, "UNKNOWN", "DENIED"), 1024, true)).toBeUndefined();
  });
});
