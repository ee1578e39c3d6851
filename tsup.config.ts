import { defineConfig } from "tsup";

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
});
