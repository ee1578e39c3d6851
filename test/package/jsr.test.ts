/**
 * The JSR package (jsr.json): `deno publish --dry-run` passes, so every entry point type-checks and the public API
 * has no slow types. Where the dry run cannot reach its registry (this machine reaches the npm registry only), the
 * same two checks run offline: `deno check` of every entry point and the `no-slow-types` lint.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, ROOT } from "./support/paths";
import { runCommand, type CommandResult } from "./support/run-command";

interface JsrConfig {
  name: string;
  version: string;
  exports: Record<string, string>;
}

const jsr = JSON.parse(readFileSync(join(ROOT, "jsr.json"), "utf8")) as JsrConfig;
const npm = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; exports: Record<string, unknown> };
/** What a failed connection to a registry looks like in Deno's errors. */
const NETWORK_FAILURE = /error sending request|dns error|failed to lookup address|tcp connect error|connection refused|network is unreachable|timed out/i;
const deno = (args: string[]): Promise<CommandResult> => runCommand(bin("deno"), args, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });

describe("the JSR package", () => {
  it("has the npm package's version and its entry points", () => {
    expect(jsr.name).toMatch(/^@[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(jsr.version).toBe(npm.version);
    expect(Object.keys(jsr.exports).sort()).toEqual(Object.keys(npm.exports).filter((subpath) => subpath !== "./package.json").sort());
    for (const file of Object.values(jsr.exports)) expect(file).toMatch(/^\.\/src\/.+\.ts$/);
  });

  it("passes deno publish --dry-run: every entry point type-checks, no slow types, only sources and docs published", async () => {
    const dryRun = await deno(["publish", "--dry-run", "--allow-dirty"]);
    if (dryRun.code !== 0 && NETWORK_FAILURE.test(dryRun.output)) {
      console.log("deno publish --dry-run could not reach its registry: running its checks offline instead");
      const check = await deno(["check", ...Object.values(jsr.exports)]);
      expect(check.code, check.output).toBe(0);
      const slowTypes = await deno(["lint", "--config", "jsr.json", "--rules-tags=", "--rules-include=no-slow-types"]);
      expect(slowTypes.code, slowTypes.output).toBe(0);
      return;
    }
    expect(dryRun.code, dryRun.output).toBe(0);
    expect(dryRun.output).toContain("Checking for slow types in the public API");
    expect(dryRun.output).toContain("Dry run complete");
    const published = [...dryRun.output.matchAll(/file:\/\/\S+?\/((?:src\/|[A-Z])\S*)/g)].map((match) => match[1]);
    for (const file of Object.values(jsr.exports)) expect(published).toContain(file.slice(2));
    expect(dryRun.output).not.toMatch(/file:\/\/\S+\/(test|bench|examples|dist|node_modules)\//);
    console.log(`deno publish --dry-run: ${jsr.name}@${jsr.version}, ${published.length} files, no slow types`);
  });
});
