import { build } from "esbuild";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";

/**
 * The hashing workers, next to the bundles that start them (`new URL("./…-hash-worker.js", import.meta.url)`): the
 * Node one as it is (it imports only node:*), the browser one with hash-wasm bundled in, so that a page can load it
 * without a bundler.
 */
async function buildHashWorkers(): Promise<void> {
  const common = { bundle: true, format: "esm", target: "es2022", logLevel: "warning", sourcemap: true } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: ["src/platform/node/node-hash-worker.js"],
      outfile: "dist/node-hash-worker.js",
      platform: "node",
      external: ["node:*"],
    }),
    build({
      ...common,
      entryPoints: ["src/platform/browser/browser-hash-worker.js"],
      outfile: "dist/browser-hash-worker.js",
      platform: "browser",
    }),
  ]);
}

/**
 * The `acrkit` and `docker-credential-acrkit` programs, each one file (the library included) for a fast start:
 * the commands are evaluated only when one runs, so `acrkit --version` loads no credential or HTTP code. The library's public
 * entry points are taken from src/, the same code as dist/index.js and dist/node.js.
 */
async function buildPrograms(): Promise<void> {
  const { version, dependencies, peerDependencies } = JSON.parse(await readFile("package.json", "utf8")) as {
    version: string;
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const common = {
    bundle: true,
    // CommonJS, so that even Node's built-in modules (http, tls, worker_threads) are required only by the command
    // that needs them; the worker hasher finds its script through __filename (import.meta.url is undefined here).
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    define: { ACRKIT_CLI_VERSION: JSON.stringify(version), "import.meta.url": "undefined" },
    // The package's dependencies and its optional peers (MSAL) stay packages, required when a command first needs
    // them (a missing MSAL is MsalNotInstalledError, as in the library); the file is acrkit's code.
    external: Object.keys({ ...dependencies, ...peerDependencies }),
    alias: { acrkit: "./src/index.ts", "acrkit/node": "./src/platform/node/index.ts" },
  } as const;
  await Promise.all([
    build({ ...common, entryPoints: ["src/cli/bin.ts"], outfile: "dist/acrkit.cjs" }),
    build({
      ...common,
      entryPoints: ["src/cli/credential-helper-bin.ts"],
      outfile: "dist/docker-credential-acrkit.cjs",
    }),
  ]);
}

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
  // `npm start` and `npm run examples` run JavaScript only: they skip the declaration files, the slow step. The CLI
  // is a program, not an entry point: it needs none.
  dts: ["start", "examples"].includes(process.env.npm_lifecycle_event ?? "") ? false : { entry: ENTRY_POINTS },
  // MSAL is an optional peer dependency, imported by the credentials that need it on their first token request: it
  // stays an import in dist/ (tsup would keep it out for being a peer anyway; this says so where one looks).
  external: [/^node:/, "@azure/msal-node", "@azure/msal-browser"],
  onSuccess: async () => {
    await Promise.all([buildHashWorkers(), buildPrograms()]);
    await dropCommonJsSourceMaps();
  },
  // CommonJS has no import.meta: there the worker hashers find no script next to them through it (acrkit/node uses
  // __filename instead; acrkit/browser hashes on the main thread) rather than the bundle failing to parse.
  esbuildOptions(options, { format }) {
    if (format === "cjs") options.define = { ...options.define, "import.meta.url": "undefined" };
  },
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
