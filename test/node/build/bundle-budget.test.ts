/**
 * The browser bundle budget: what `import { ContainerRegistryClient } from "acrkit"` costs a web app, built from
 * the published file (dist/index.js) the way an app's bundler would, minified and gzipped.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * An early warning in gzipped bytes (KB as 1000 bytes), from the source tree's dist/ with esbuild. The binding budget,
 * 16 KB with Vite and webpack on the packed tarball, is test/package/bundlers.test.ts's; esbuild's measure (one gzip
 * of all up-front chunks together) reads about 300 B above theirs.
 */
const BUDGET_GZIP_BYTES = 17_000;
const ROOT = resolve(import.meta.dirname, "../../..");
const ENTRY = resolve(ROOT, "dist/index.js");

/** Resolves the bare `acrkit` to the built entry, as a consumer's node_modules would. */
const acrkitFromDist: Plugin = {
  name: "acrkit-from-dist",
  setup(plugin) {
    plugin.onResolve({ filter: /^acrkit$/ }, () => ({ path: ENTRY }));
  },
};

/**
 * Bundles the import for browsers with code splitting, as an app's bundler does, and measures what a page loads up
 * front (the entry and the chunks it imports statically) apart from the chunks loaded on first use (`import()`).
 */
export async function measureClientBundle() {
  const result = await build({
    stdin: { contents: 'export { ContainerRegistryClient } from "acrkit";', resolveDir: ROOT, loader: "js" },
    bundle: true,
    splitting: true,
    outdir: resolve(ROOT, "test-results/bundle-budget"),
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [acrkitFromDist],
  });
  const files = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === "<stdin>")!;
  const initial = new Set<string>();
  const visit = (path: string) => {
    if (initial.has(path)) return;
    initial.add(path);
    for (const imported of outputs[path]!.imports) if (imported.kind === "import-statement") visit(imported.path);
  };
  visit(entry);
  const measure = (paths: string[]) => {
    const code = Buffer.concat(paths.map((path) => files.get(resolve(ROOT, path))!));
    return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
  };
  const jsOutputs = Object.keys(outputs).filter((path) => path.endsWith(".js"));
  return {
    initial: measure([...initial]),
    lazy: measure(jsOutputs.filter((path) => !initial.has(path))),
    initialInputs: [...initial].flatMap((path) => Object.entries(outputs[path]!.inputs)),
  };
}

describe("browser bundle budget", () => {
  it(`keeps import { ContainerRegistryClient } from "acrkit" under ${BUDGET_GZIP_BYTES} gzipped bytes up front`, async () => {
    expect(existsSync(ENTRY), "dist/index.js is missing: run `npm run build` first").toBe(true);
    const { initial, lazy, initialInputs } = await measureClientBundle();
    const byPackage = new Map<string, number>();
    for (const [path, { bytesInOutput }] of initialInputs) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? "acrkit";
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
    const breakdown = [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => `${name} ${bytes} B`)
      .join(", ");
    console.log(
      `bundle budget: import { ContainerRegistryClient } from "acrkit" → up front ${initial.minified} B minified, ` +
        `${initial.gzipped} B gzipped (budget ${BUDGET_GZIP_BYTES} B; minified by package: ${breakdown}); ` +
        `loaded on first transfer ${lazy.minified} B minified, ${lazy.gzipped} B gzipped`,
    );
    expect(initial.minified).toBeGreaterThan(10_000);
    // The transfers and the WebAssembly hasher must stay out of the initial load.
    expect(lazy.gzipped).toBeGreaterThan(10_000);
    expect(initial.gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
