/**
 * What a page loads before its first transfer: the entry chunk and every chunk it imports statically, measured file
 * by file as a browser downloads them, minified (as the bundler left them) and gzipped.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** A bundler's output split into what loads up front and what loads on first use. */
export interface PageBuild {
  /** The JavaScript files loaded before the first call: the entry and its static imports. */
  initial: string[];
  /** Every other JavaScript file: chunks loaded by `import()`. */
  lazy: string[];
}

/** Bytes of a set of files: as written, and the sum of each file gzipped at level 9. */
export interface Weight {
  files: number;
  minified: number;
  gzipped: number;
}

/** Weighs files of `directory`, each gzipped on its own (each is a request of its own). */
export function weigh(directory: string, files: string[]): Weight {
  let minified = 0;
  let gzipped = 0;
  for (const file of files) {
    const contents = readFileSync(join(directory, file));
    minified += contents.byteLength;
    gzipped += gzipSync(contents, { level: 9 }).byteLength;
  }
  return { files: files.length, minified, gzipped };
}

/** The files reachable from `entry` through static imports, given each file's static imports. */
export function staticClosure(entry: string, staticImports: (file: string) => string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of staticImports(file)) visit(imported);
  };
  visit(entry);
  return [...seen];
}
