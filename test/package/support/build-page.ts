/**
 * Builds the metadata page fixture (fixtures/page) with a real bundler, for browsers, from the installed tarball,
 * without Node polyfills, and says which chunks load up front.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build as viteBuild, createLogger } from "vite";
import webpack from "webpack";
import { staticClosure, type PageBuild } from "./initial-load";

/** A page build, with what the bundler warned about (a Node built-in it stubbed out, for one). */
export interface BundlerResult extends PageBuild {
  outDir: string;
  warnings: string[];
}

interface ViteManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** Vite (production build, its default browser targets), with the build manifest to follow static imports. */
export async function buildWithVite(pageDir: string, outDir: string): Promise<BundlerResult> {
  const warnings: string[] = [];
  const logger = createLogger("warn", { allowClearScreen: false });
  logger.warn = (message) => void warnings.push(message);
  logger.warnOnce = (message) => void warnings.push(message);
  await viteBuild({
    root: pageDir,
    configFile: false,
    envDir: false,
    customLogger: logger,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, manifest: true, reportCompressedSize: false },
  });
  const manifest = JSON.parse(readFileSync(join(outDir, ".vite/manifest.json"), "utf8")) as Record<
    string,
    ViteManifestChunk
  >;
  const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry)!;
  const initial = staticClosure(entryKey, (key) => manifest[key]!.imports ?? []).map((key) => manifest[key]!.file);
  return { outDir, warnings, initial, lazy: javaScriptFiles(outDir).filter((file) => !initial.includes(file)) };
}

/** webpack 5 (production mode, target web, no `resolve.fallback`: a Node built-in fails the build). */
export async function buildWithWebpack(pageDir: string, outDir: string): Promise<BundlerResult> {
  const compiler = webpack({
    mode: "production",
    context: pageDir,
    entry: { main: "./main.js" },
    target: "web",
    devtool: false,
    output: {
      path: outDir,
      filename: "[name].[contenthash:8].js",
      chunkFilename: "[name].[contenthash:8].js",
      clean: true,
    },
    performance: { hints: false },
    infrastructureLogging: { level: "error" },
  });
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    compiler.run((error, result) => (error || !result ? reject(error) : resolve(result))),
  );
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())));
  const json = stats.toJson({ all: false, entrypoints: true, errors: true, warnings: true });
  if (stats.hasErrors()) throw new Error(`webpack failed:\n${json.errors?.map((error) => error.message).join("\n")}`);
  const initial = (json.entrypoints?.main?.assets ?? [])
    .map((asset) => asset.name)
    .filter((name) => name.endsWith(".js"));
  return {
    outDir,
    warnings: (json.warnings ?? []).map((warning) => warning.message),
    initial,
    lazy: javaScriptFiles(outDir).filter((file) => !initial.includes(file)),
  };
}

/** Every .js file under `directory`, relative to it. */
function javaScriptFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
}
