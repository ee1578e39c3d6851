/**
 * Where the package checks find the repository, its tools, and the packed package they share.
 * @module
 */
import { join, resolve } from "node:path";
import { inject } from "vitest";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../../..");
/** The fixtures of consumer projects and pages. */
export const FIXTURES = join(ROOT, "test/package/fixtures");
/** A binary of the repository's devDependencies. */
export const bin = (name: string): string => join(ROOT, "node_modules/.bin", name);

declare module "vitest" {
  export interface ProvidedContext {
    /** The packed tarball (`npm pack`), as npm publishes it. */
    tarball: string;
    /** A consumer project outside the repository with the tarball installed: its node_modules serves every fixture. */
    consumer: string;
  }
}

/** The packed tarball and the consumer project the global setup made. */
export function packed(): { tarball: string; consumer: string } {
  return { tarball: inject("tarball"), consumer: inject("consumer") };
}
