/**
 * The core (`acrkit`) and the browser adapter must run where there is no Node: no node:* import, no Buffer, no process.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("browser-safe core", () => {
  it.each(["dist/index.js", "dist/browser.js"])(
    "%s bundles for the browser platform with no Node built-in",
    async (entry) => {
      const result = await build({
        entryPoints: [join(ROOT, entry)],
        bundle: true,
        platform: "browser",
        format: "esm",
        write: false,
        logLevel: "silent",
        metafile: true,
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(
        inputs.filter((input) => input.startsWith("node:") || /(^|\/)node_modules\/@types\/node\//.test(input)),
      ).toEqual([]);
      expect(result.errors).toEqual([]);
    },
  );

  it("src/core and src/index.ts never touch node:*, Buffer or process", () => {
    const files = [...sourceFiles(join(ROOT, "src/core")), join(ROOT, "src/index.ts")];
    const offenders = files.filter((file) => {
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      return /from\s+["']node:|import\(\s*["']node:|require\(\s*["']node:|\bBuffer\b|\bprocess\b/.test(code);
    });
    expect(offenders).toEqual([]);
    expect(files.length).toBeGreaterThan(30);
  });
});

describe("package metadata", () => {
  it("keeps VERSION equal to package.json's version", async () => {
    const { VERSION } = await import("../../../src/core/version");
    expect(VERSION).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });
});
