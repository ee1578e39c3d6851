/**
 * Empty npm projects that install the tarball as a user does, and what they hold afterwards.
 * @module
 */
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths";
import { runOrThrow } from "./run-command";

/** Creates `directory` with an empty package.json and installs `specs` (tarballs or names) into it with npm. */
export async function createProject(directory: string, specs: string[]): Promise<void> {
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, "package.json"),
    JSON.stringify({ name: "acrkit-user", private: true, type: "module" }, null, 2),
  );
  await install(directory, specs);
}

/** `npm install specs` in a project: the npm registry only, through npm's cache when it has the packages already. */
export async function install(directory: string, specs: string[]): Promise<void> {
  await runOrThrow("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...specs], { cwd: directory });
}

/**
 * Packs a package of the repository's own node_modules (the version its tests ran with) into `destination`, so that a
 * project installs that version without asking the registry for it; returns the tarball's path.
 */
export async function packInstalled(name: string, destination: string): Promise<string> {
  const { stdout } = await runOrThrow(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", destination, join(ROOT, "node_modules", name)],
    { cwd: ROOT },
  );
  const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
  return join(destination, filename);
}

/** The packages installed in a project's node_modules (scoped ones as `@scope/name`), and their files' total size. */
export function installed(directory: string): { packages: string[]; bytes: number } {
  const modules = join(directory, "node_modules");
  const packages: string[] = [];
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith(".")) continue;
    if (entry.startsWith("@")) packages.push(...readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`));
    else packages.push(entry);
  }
  return { packages: packages.sort(), bytes: sizeOf(modules) };
}

function sizeOf(path: string): number {
  const stats = lstatSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((total, entry) => total + sizeOf(join(path, entry)), 0);
}
