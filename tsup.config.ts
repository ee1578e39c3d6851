import { defineConfig, type Options } from "tsup";

// Browser-safe entries (the core and the browser adapter) and Node-side entries are built apart
// so that a Node built-in can never leak into what browsers load.
const shared: Options = { sourcemap: true, target: "es2022", dts: true, splitting: false };

const browserSafe = {
  index: "src/index.ts",
  browser: "src/platform/browser/index.ts",
};
const nodeSide = {
  node: "src/platform/node/index.ts",
  emulator: "src/emulator/index.ts",
  "emulator-cli": "src/emulator/cli.ts",
};

export default defineConfig([
  { ...shared, entry: browserSafe, platform: "neutral", format: ["esm"] },
  // ky is ESM-only: the CJS build must bundle it (toolchain.md §2).
  { ...shared, entry: browserSafe, platform: "neutral", format: ["cjs"], noExternal: ["ky"] },
  { ...shared, entry: nodeSide, platform: "node", format: ["esm"] },
  { ...shared, entry: nodeSide, platform: "node", format: ["cjs"], noExternal: ["ky"] },
]);
