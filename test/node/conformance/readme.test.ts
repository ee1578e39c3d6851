/**
 * The README's registry table is the conformance matrix's: rendered from the same expectations (readme-table.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { registryTable } from "./readme-table";

const START = "<!-- registry-table: rendered from test/node/conformance/expectations.ts -->";
const END = "<!-- /registry-table -->";

describe("README registry table", () => {
  it("matches the conformance matrix's expectations (its failure shows the table to paste)", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + START.length, end).trim()).toBe(registryTable());
  });
});
