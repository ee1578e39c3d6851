/**
 * Pulling an OCI artifact's files into a directory, each file complete and verified or not there at all.
 * @module
 */
import { mkdir } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep, win32 } from "node:path";
import { pullArtifact, type PullArtifactResult } from "../../core/artifacts/pull-artifact";
import type { ContainerRegistryClient } from "../../core/client";
import { fanOut } from "../../core/utils/fan-out";
import { UnsafeArtifactPathError } from "../../core/errors/unsafe-artifact-path-error";
import { quote } from "../../core/grammar/assert";
import { downloadBlobToFile } from "./download-to-file";

/** Settings of {@link pullArtifactToDirectory}. */
export interface PullArtifactToDirectoryOptions {
  /** How many files download at once. Default: the client's `concurrency`. */
  concurrency?: number;
  /** Cancels the pull; a file being written is removed (kept with `resume`), files already complete stay. */
  signal?: AbortSignal;
  /** Keep partial files when the pull fails or the process dies, and continue them with Range next time. Default false. */
  resume?: boolean;
}

/** What {@link pullArtifactToDirectory} wrote. */
export interface PullArtifactToDirectoryResult {
  /** The artifact's manifest digest. */
  digest: string;
  /** The files written, in manifest order. */
  files: Array<{
    /** The file name as the artifact gives it. */
    name: string;
    /** Where it was written. */
    path: string;
    /** Its digest, which the content was verified against. */
    digest: string;
    /** Its size in bytes. */
    size: number;
  }>;
}

/**
 * Pulls an artifact by tag or digest and writes each file under `dir` with its title as the name (a title such as
 * `docs/guide.md` makes the subdirectory). Every title is checked before anything is written: one that would land
 * outside `dir` (`../x`, an absolute path, a Windows drive or UNC path) fails with UnsafeArtifactPathError. Each
 * file goes to a temporary file first and is renamed once its digest is verified, so no file is ever half-written.
 */
export async function pullArtifactToDirectory(
  client: ContainerRegistryClient,
  repository: string,
  reference: string,
  dir: string,
  options: PullArtifactToDirectoryOptions = {},
): Promise<PullArtifactToDirectoryResult> {
  if (typeof dir !== "string" || dir === "") throw new TypeError(`dir must be a directory path, got ${quote(dir)}`);
  const artifact = await pullArtifact(client, repository, reference, { signal: options.signal });
  const root = resolve(dir);
  const targets = targetPaths(artifact, root);
  await mkdir(root, { recursive: true });
  // The first failure stops the other downloads.
  const files = await fanOut(
    artifact.files,
    async (file, signal, index) => {
      const path = targets[index]!;
      await mkdir(resolve(path, ".."), { recursive: true });
      const written = await downloadBlobToFile(client, repository, file.digest, path, {
        signal,
        resume: options.resume,
      });
      return { name: file.name, path, digest: written.digest, size: written.size };
    },
    { limit: options.concurrency ?? client.concurrency, signal: options.signal },
  );
  return { digest: artifact.digest, files };
}

/** The path of every file under `root`, refusing titles that escape it or collide. */
function targetPaths(artifact: PullArtifactResult, root: string): string[] {
  const seen = new Set<string>();
  return artifact.files.map((file) => {
    const title = file.name;
    const refuse = (problem: string) => new UnsafeArtifactPathError(title, root, problem);
    if (title.includes("\0")) throw refuse("it contains a NUL character");
    if (isAbsolute(title) || win32.isAbsolute(title) || /^[A-Za-z]:/.test(title))
      throw refuse("it is an absolute path");
    if (title.split(/[\\/]/).includes("..")) throw refuse("it climbs out of the directory with ..");
    const path = resolve(root, title);
    const inside = relative(root, path);
    if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside))
      throw refuse("it does not name a file inside the directory");
    const key = process.platform === "win32" || process.platform === "darwin" ? path.toLowerCase() : path;
    if (seen.has(key)) throw refuse("another file of the artifact has the same name");
    seen.add(key);
    return join(root, inside);
  });
}
