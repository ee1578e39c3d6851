/**
 * The browser bundle budget: what `import { ContainerRegistryClient } from "acrkit"` costs a web app, built from
 * the published file (dist/index.js) the way an app's bundler would, minified and gzipped.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

/** The budget in gzipped bytes (KB as 1000 bytes, the unit of js-peer.md §7: the Azure SDK's client is 28,787 B). */
const BUDGET_GZIP_BYTES = 20_000;
const ROOT = resolve(import.meta.dirname, "../../..");
const ENTRY = resolve(ROOT, "dist/index.js");

/** Resolves the bare `acrkit` to the built entry, as a consumer's node_modules would. */
const acrkitFromDist: Plugin = {
  name: "acrkit-from-dist",
  setup(plugin) {
    plugin.onResolve({ filter: /^acrkit$/ }, () => ({ path: ENTRY }));
  },
};

/** Bundles the import for browsers and returns the minified output, its gzipped size and esbuild's metafile. */
export async function measureClientBundle() {
  const result = await build({
    stdin: { contents: 'export { ContainerRegistryClient } from "acrkit";', resolveDir: ROOT, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [acrkitFromDist],
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, metafile: result.metafile };
}

describe("browser bundle budget", () => {
  it(`keeps import { ContainerRegistryClient } from "acrkit" under ${BUDGET_GZIP_BYTES} gzipped bytes`, async () => {
    expect(existsSync(ENTRY), "dist/index.js is missing: run `npm run build` first").toBe(true);
    const { minified, gzipped, metafile } = await measureClientBundle();
    const output = Object.values(metafile.outputs)[0]!;
    const byPackage = new Map<string, number>();
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? "acrkit";
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
    const breakdown = [...byPackage].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => `${name} ${bytes} B`).join(", ");
    console.log(
      `bundle budget: import { ContainerRegistryClient } from "acrkit" → ${minified} B minified, ${gzipped} B gzipped ` +
        `(budget ${BUDGET_GZIP_BYTES} B); minified by package: ${breakdown}`,
    );
    expect(minified).toBeGreaterThan(10_000);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
