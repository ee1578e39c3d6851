/**
 * README's entry-point table: `acrkit/node` and `acrkit/browser` each export all of `acrkit`, the very same values
 * (one class, so `instanceof` works across them), plus their own.
 */
import { describe, expect, it } from "vitest";
import * as core from "../../../../src/index";
import * as browser from "../../../../src/platform/browser/index";
import * as node from "../../../../src/platform/node/index";

describe.each([
  ["acrkit/node", node],
  ["acrkit/browser", browser],
] as const)("%s", (_entry, exports) => {
  it("exports every export of acrkit, the same value", () => {
    const names = Object.keys(core);
    expect(names.length).toBeGreaterThan(20);
    const entry = exports as Record<string, unknown>;
    expect(names.filter((name) => entry[name] !== (core as Record<string, unknown>)[name])).toEqual([]);
  });
});
