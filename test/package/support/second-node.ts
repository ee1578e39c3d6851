/**
 * A second Node version for the package checks: the current LTS line, from the npm package `node` (which brings
 * its binary through npm packages), installed once into node_modules/.cache (`npm ci` starts it afresh).
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths";
import { runOrThrow } from "./run-command";

/** The Node version tested beside the one running the suite: the newest release of the current LTS line. */
export const SECOND_NODE_VERSION = "24.21.0";

/** Installs the second Node if it is not there yet and returns the path of its binary. */
export async function secondNode(): Promise<string> {
  const directory = join(ROOT, "node_modules/.cache", `acrkit-node-${SECOND_NODE_VERSION}`);
  const binary = join(directory, "node_modules/.bin/node");
  if (!existsSync(binary)) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, "package.json"), JSON.stringify({ name: "acrkit-second-node", private: true, allowScripts: { node: true } }));
    // The package's install script fetches the platform's binary package from the npm registry.
    await runOrThrow("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--save-exact", `node@${SECOND_NODE_VERSION}`], { cwd: directory });
  }
  const { stdout } = await runOrThrow(binary, ["-p", "process.execPath"], { cwd: directory });
  return stdout.trim();
}

/** The environment without the variables of the vitest run around us, for a vitest started as a child process. */
export function environmentOutsideVitest(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("VITEST") || name === "TEST" || name === "NODE_ENV") delete env[name];
  return env;
}
