import { build } from "esbuild";
import { defineConfig } from "tsup";

/**
 * The hashing workers, next to the bundles that start them (`new URL("./…-hash-worker.js", import.meta.url)`): the
 * Node one as it is (it imports only node:*), the browser one with hash-wasm bundled in, so that a page can load it
 * without a bundler.
 */
async function buildHashWorkers(): Promise<void> {
  const common = { bundle: true, format: "esm", target: "es2022", logLevel: "warning", sourcemap: true } as const;
  await Promise.all([
    build({ ...common, entryPoints: ["src/platform/node/node-hash-worker.js"], outfile: "dist/node-hash-worker.js", platform: "node", external: ["node:*"] }),
    build({ ...common, entryPoints: ["src/platform/browser/browser-hash-worker.js"], outfile: "dist/browser-hash-worker.js", platform: "browser" }),
  ]);
}

// All entry points are built together with code splitting, so that `acrkit`, `acrkit/node`, `acrkit/browser` and
// `acrkit/emulator` share one copy of the core: one ContainerRegistryClient class, one set of error classes, one
// default hasher. Node built-ins stay external imports; a test bundles `acrkit` for browsers to prove none is reached.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    browser: "src/platform/browser/index.ts",
    node: "src/platform/node/index.ts",
    emulator: "src/emulator/index.ts",
    "emulator-cli": "src/emulator/cli.ts",
  },
  format: ["esm", "cjs"],
  platform: "neutral",
  target: "es2022",
  splitting: true,
  sourcemap: true,
  clean: true,
  // `npm start` and `npm run examples` run JavaScript only: they skip the declaration files, the slow step.
  dts: !["start", "examples"].includes(process.env.npm_lifecycle_event ?? ""),
  external: [/^node:/],
  // ky is ESM-only: the CJS build must bundle it (toolchain.md §2); bundling it in both keeps one build.
  noExternal: ["ky"],
  onSuccess: buildHashWorkers,
  // CommonJS has no import.meta: there the worker hashers find no script next to them through it (acrkit/node uses
  // __filename instead; acrkit/browser hashes on the main thread) rather than the bundle failing to parse.
  esbuildOptions(options, { format }) {
    if (format === "cjs") options.define = { ...options.define, "import.meta.url": "undefined" };
  },
});
