/**
 * A bench page's script, bundled in memory for the browser from a file of the repository.
 * @module
 */
import { join } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./spawn";

/** `entry` (a path from the repository's root) and its imports as one ES module for browsers. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}
