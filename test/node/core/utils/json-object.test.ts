/**
 * parseJsonObject, the one reader of JSON bodies: an object or undefined, never a throw.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonObjectProblem, parseJsonObject } from "../../../../src/core/utils/json-object";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseJsonObject", () => {
  it("reads an object from text or UTF-8 bytes (a BOM in bytes is dropped)", () => {
    expect(parseJsonObject('{"a":[1,{"b":"é"}]}')).toEqual({ a: [1, { b: "é" }] });
    expect(parseJsonObject(bytes('{"a":"é"}'))).toEqual({ a: "é" });
    expect(parseJsonObject(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"a":1}')]))).toEqual({ a: 1 });
  });

  it.each(["[]", "[{}]", "null", '"text"', "42", "true", "", "{", "<html>404</html>", '{"a":1} trailing'])(
    "gives undefined for %j",
    (text) => {
      expect(parseJsonObject(text)).toBeUndefined();
      expect(parseJsonObject(bytes(text))).toBeUndefined();
    },
  );

  it("gives undefined for bytes that are not UTF-8", () => {
    expect(parseJsonObject(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBeUndefined();
  });

  it("never throws, and answers an object exactly when JSON.parse gives one", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        let expected: unknown;
        try {
          expected = JSON.parse(text);
        } catch {
          expected = undefined;
        }
        const isObject = typeof expected === "object" && expected !== null && !Array.isArray(expected);
        expect(parseJsonObject(text)).toEqual(isObject ? expected : undefined);
      }),
    );
  });
});

describe("jsonObjectProblem", () => {
  it("says why input is no JSON object, in the parser's words where it failed", () => {
    expect(jsonObjectProblem('{"a":1}')).toBeUndefined();
    expect(jsonObjectProblem("[1]")).toBe("JSON but not a JSON object");
    expect(jsonObjectProblem("null")).toBe("JSON but not a JSON object");
    expect(jsonObjectProblem("{oops")).toMatch(/^not valid UTF-8 JSON: .+/);
    expect(jsonObjectProblem(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatch(/^not valid UTF-8 JSON: .+/);
  });
});
