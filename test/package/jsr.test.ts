/**
 * The JSR package (jsr.json): `deno publish --dry-run` passes offline, so every entry point type-checks, the public
 * API has no slow types and only sources and docs are published.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, ROOT } from "./support/paths";
import { runCommand, type CommandResult } from "./support/run-command";

interface JsrConfig {
  name: string;
  version: string;
  exports: Record<string, string>;
  publish: { include: string[] };
}

const jsr = JSON.parse(readFileSync(join(ROOT, "jsr.json"), "utf8")) as JsrConfig;
const npm = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  exports: Record<string, unknown>;
};
const deno = (args: string[], env: Record<string, string> = {}): Promise<CommandResult> =>
  runCommand(bin("deno"), args, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env } });

describe("the JSR package", () => {
  it("has the npm package's version and its entry points", () => {
    expect(jsr.name).toMatch(/^@[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(jsr.version).toBe(npm.version);
    expect(Object.keys(jsr.exports).sort()).toEqual(
      Object.keys(npm.exports)
        .filter((subpath) => subpath !== "./package.json")
        .sort(),
    );
    for (const file of Object.values(jsr.exports)) expect(file).toMatch(/^\.\/src\/.+\.ts$/);
  });

  it("publishes only sources and docs: the include list names src/**/*.ts and the three documents, and every export is a file under it", () => {
    expect(jsr.publish.include.sort()).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "src/**/*.ts"]);
    for (const file of Object.values(jsr.exports))
      expect(existsSync(join(ROOT, file)), `${file} is missing`).toBe(true);
  });

  it("passes deno publish --dry-run offline: every entry point type-checks, no slow types, only sources and docs published", async () => {
    // The dry run needs no registry: it runs through a proxy that reaches nothing, so it is the same check on every
    // machine (CI reaches the npm registry only) and cannot pass by not running.
    const unreachable = "http://127.0.0.1:1";
    const dryRun = await deno(["publish", "--dry-run", "--allow-dirty"], {
      HTTPS_PROXY: unreachable,
      HTTP_PROXY: unreachable,
      NO_PROXY: "",
    });
    expect(dryRun.code, dryRun.output).toBe(0);
    expect(dryRun.output).toContain("Checking for slow types in the public API");
    expect(dryRun.output).toContain("Dry run complete");
    const published = [...dryRun.output.matchAll(/file:\/\/\S+?\/((?:src\/|[A-Z])\S*)/g)].map((match) => match[1]);
    for (const file of Object.values(jsr.exports)) expect(published).toContain(file.slice(2));
    expect(published).toEqual(expect.arrayContaining(["README.md", "LICENSE", "CHANGELOG.md"]));
    expect(dryRun.output).not.toMatch(/file:\/\/\S+\/(test|bench|examples|dist|node_modules)\//);
    console.log(`deno publish --dry-run: ${jsr.name}@${jsr.version}, ${published.length} files, no slow types`);
  });

  it("the dry run refuses a slow type: a passing run means the check ran", async () => {
    // A public function without a return type is a slow type.
    const directory = mkdtempSync(join(tmpdir(), "acrkit-jsr-"));
    try {
      writeFileSync(
        join(directory, "jsr.json"),
        JSON.stringify({ name: "@acrkit/probe", version: "0.0.0", exports: { ".": "./mod.ts" } }),
      );
      writeFileSync(join(directory, "mod.ts"), "export function slow() {\n  return { a: 1 };\n}\n");
      const dryRun = await runCommand(bin("deno"), ["publish", "--dry-run", "--allow-dirty"], {
        cwd: directory,
        env: { ...process.env, NO_COLOR: "1" },
      });
      expect(dryRun.code).not.toBe(0);
      expect(dryRun.output).toMatch(/missing-explicit-return-type/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
