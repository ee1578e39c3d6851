/**
 * Where the download examples write: the directory given on the command line, kept; or a temporary one, removed at the
 * end so that offline runs leave nothing behind.
 * @module
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A directory to write into and a way to clean it up. */
export interface OutputDirectory {
  path: string;
  /** Removes the directory if it was a temporary one; a directory the user named is kept. */
  finish(): Promise<void>;
}

/** Uses `process.argv[2]` when given (created if missing), else a new temporary directory. */
export async function outputDirectory(prefix: string): Promise<OutputDirectory> {
  const named = process.argv[2];
  if (named) {
    const path = resolve(named);
    await mkdir(path, { recursive: true });
    return { path, finish: async () => {} };
  }
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return {
    path,
    finish: async () => {
      await rm(path, { recursive: true, force: true });
      console.log(`(removed the temporary directory; pass a directory as the first argument to keep the files)`);
    },
  };
}
