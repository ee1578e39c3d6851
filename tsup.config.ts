import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";

// All entry points are built together with code splitting, so that `acrkit`, `acrkit/node`, `acrkit/browser` and
// `acrkit/emulator` share one copy of the core: one ContainerRegistryClient class, one set of error classes, one
// default hasher. Node built-ins stay external imports; a test bundles `acrkit` for browsers to prove none is reached.
const ENTRY_POINTS = {
  index: "src/index.ts",
  browser: "src/platform/browser/index.ts",
  node: "src/platform/node/index.ts",
  emulator: "src/emulator/index.ts",
};

export default defineConfig({
  entry: { ...ENTRY_POINTS, "emulator-cli": "src/emulator/cli.ts" },
  format: ["esm", "cjs"],
  platform: "neutral",
  target: "es2022",
  splitting: true,
  sourcemap: true,
  clean: true,
  onSuccess: dropCommonJsSourceMaps,
  // `npm start` and `npm run examples` run JavaScript only: they skip the declaration files, the slow step. The CLI
  // is a program, not an entry point: it needs none.
  dts: ["start", "examples"].includes(process.env.npm_lifecycle_event ?? "") ? false : { entry: ENTRY_POINTS },
  external: [/^node:/],
  // ky is ESM-only: the CJS build must bundle it (toolchain.md §2); bundling it in both keeps one build.
  noExternal: ["ky"],
});

/**
 * tsup's CommonJS code splitting re-maps esbuild's maps onto an intermediate file that is never written, so the .cjs
 * maps would name paths of the build machine instead of src/: the CommonJS build ships without maps.
 */
async function dropCommonJsSourceMaps(): Promise<void> {
  for (const name of await readdir("dist")) {
    if (name.endsWith(".cjs.map")) await rm(`dist/${name}`);
    if (!name.endsWith(".cjs")) continue;
    const code = await readFile(`dist/${name}`, "utf8");
    await writeFile(`dist/${name}`, code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
  }
}
