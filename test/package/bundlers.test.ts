/**
 * Real bundlers on the installed tarball: a metadata-only page (`new ContainerRegistryClient`, `listRepositoryNames`,
 * `getTagProperties`) built with Vite and with webpack 5 for browsers, no Node polyfills. What loads before the first
 * transfer (the entry and its static imports) stays within the budget; the rest loads on first use.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildWithVite, buildWithWebpack, type BundlerResult } from "./support/build-page";
import { weigh } from "./support/initial-load";
import { packed } from "./support/paths";

/** The budget of the up-front JavaScript, gzipped, in bytes (KB as 1000 bytes). */
const BUDGET_GZIP_BYTES = 16_000;

const BUNDLERS: Array<{ name: string; build: (pageDir: string, outDir: string) => Promise<BundlerResult> }> = [
  { name: "Vite", build: buildWithVite },
  { name: "webpack 5", build: buildWithWebpack },
];

describe("the metadata page, bundled from the tarball", () => {
  const { consumer } = packed();

  it.each(BUNDLERS)(`$name: up front within ${BUDGET_GZIP_BYTES} B gzipped, the rest on first use`, async ({ name, build }) => {
    const result = await build(join(consumer, "fixtures/page"), join(consumer, "out", name.replace(/\W+/g, "-")));
    const initial = weigh(result.outDir, result.initial);
    const lazy = weigh(result.outDir, result.lazy);
    console.log(
      `${name}: up front ${initial.files} files, ${initial.minified} B minified, ${initial.gzipped} B gzipped (budget ${BUDGET_GZIP_BYTES} B); ` +
        `on first use ${lazy.files} files, ${lazy.minified} B minified, ${lazy.gzipped} B gzipped`,
    );
    // A Node built-in in the browser graph shows up as a warning (Vite stubs it out) or an error (webpack).
    expect(result.warnings).toEqual([]);
    expect(initial.files).toBeGreaterThan(0);
    expect(initial.minified).toBeGreaterThan(5_000);
    // Transfers, manifests and the WebAssembly hasher are chunks of their own, loaded by the first call that needs them.
    expect(lazy.files).toBeGreaterThan(1);
    expect(lazy.gzipped).toBeGreaterThan(10_000);
    expect(initial.gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
