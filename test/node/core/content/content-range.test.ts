import { describe, expect, it } from "vitest";
import { parseContentRange, parseUploadRange } from "../../../../src/core/content/content-range";

describe("Content-Range and upload Range", () => {
  it("reads Content-Range with and without a total", () => {
    expect(parseContentRange("bytes 0-10/11")).toEqual({ start: 0, end: 10, total: 11 });
    expect(parseContentRange("bytes 5-9/*")).toEqual({ start: 5, end: 9 });
  });

  it("reads the upload session's Range", () => {
    expect(parseUploadRange("0-12")).toEqual({ start: 0, end: 12 });
    expect(parseUploadRange("bytes=0-4194303")).toEqual({ start: 0, end: 4194303 });
  });

  it.each([
    "",
    "bytes 10-5/20",
    "bytes 0-20/20",
    "bytes -1-2/3",
    "bytes 0-1/x",
    "items 0-1/2",
    `bytes 0-1/${"9".repeat(30)}`,
  ])("refuses %j", (header) => {
    expect(parseContentRange(header)).toBeUndefined();
  });
});
