/**
 * The tarball as npm publishes it: publint and Are the Types Wrong find no problem in any entry point, and the
 * file list holds what a user needs and nothing else.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, packed, ROOT } from "./support/paths";
import { runCommand } from "./support/run-command";

const ENTRY_POINTS = ["acrkit", "acrkit/node", "acrkit/browser", "acrkit/emulator"];

describe("the packed tarball", () => {
  const { tarball } = packed();
  let unpacked: string;
  let files: string[];

  beforeAll(() => {
    unpacked = mkdtempSync(join(tmpdir(), "acrkit-unpacked-"));
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked]);
    files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ""));
  });
  afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

  it("passes publint with no error, warning or suggestion", async () => {
    const result = await runCommand(bin("publint"), ["run", tarball, "--level", "suggestion", "--strict"], {
      cwd: ROOT,
    });
    console.log(result.stdout.trim());
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain("All good!");
  });

  it("passes Are the Types Wrong in node10, node16 (CJS and ESM) and bundler resolution, for every entry point", async () => {
    const result = await runCommand(bin("attw"), [tarball, "--format", "json", "--profile", "strict"], { cwd: ROOT });
    const report = JSON.parse(result.stdout) as {
      analysis: { entrypoints: Record<string, { resolutions: Record<string, unknown> }> };
      problems?: unknown[] | Record<string, unknown[]>;
    };
    // Grouped by kind in some versions of the report, a flat list in others.
    const problems = Array.isArray(report.problems) ? report.problems : Object.values(report.problems ?? {}).flat();
    const checked = Object.keys(report.analysis.entrypoints);
    expect(checked.map((subpath) => posix.join("acrkit", subpath))).toEqual(expect.arrayContaining(ENTRY_POINTS));
    for (const subpath of checked) {
      expect(Object.keys(report.analysis.entrypoints[subpath]!.resolutions).sort()).toEqual([
        "bundler",
        "node10",
        "node16-cjs",
        "node16-esm",
      ]);
    }
    console.log(
      `attw: ${checked.length} entry points × node10, node16-cjs, node16-esm, bundler: ${problems.length} problems`,
    );
    expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
    expect(result.code, result.output).toBe(0);
  });

  it("holds the built entry points, their types and maps and the docs, and nothing else", () => {
    const outside = files.filter(
      (path) => !path.startsWith("dist/") && !["package.json", "README.md", "CHANGELOG.md", "LICENSE"].includes(path),
    );
    expect(outside).toEqual([]);
    expect(
      files.filter((path) => /(^|\/)(test|tests|bench|examples|__tests__)\/|\.test\.|\.spec\./.test(path)),
    ).toEqual([]);
    for (const entry of ["index", "node", "browser", "emulator"]) {
      for (const extension of [".js", ".cjs", ".d.ts", ".d.cts"]) expect(files).toContain(`dist/${entry}${extension}`);
    }
    // The CLI is an ESM program (package.json's bin); its CommonJS twin would only be dead weight.
    expect(files).toContain("dist/emulator-cli.js");
    expect(files.filter((path) => path.startsWith("dist/emulator-cli.") && !/\.js(\.map)?$/.test(path))).toEqual([]);
  });

  it("has declarations that import no other package, so a consumer compiles no third party's types", () => {
    const declarations = files.filter((path) => /\.d\.c?ts$/.test(path));
    const imports = declarations.flatMap((path) =>
      [
        ...readFileSync(join(unpacked, "package", path), "utf8").matchAll(
          /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g,
        ),
      ].map((match) => `${path}: ${match[1]}`),
    );
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((entry) => !entry.split(": ")[1]!.startsWith("./"))).toEqual([]);
  });

  it("has source maps that resolve: every map a script names is shipped, and every source a map names is shipped or embedded", () => {
    const scripts = files.filter((path) => /\.(c?js)$/.test(path));
    const maps = files.filter((path) => path.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const script of scripts) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(unpacked, "package", script), "utf8"))?.[1];
      if (url !== undefined && !files.includes(posix.join(posix.dirname(script), url)))
        missing.push(`${script} → ${url}`);
    }
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(unpacked, "package", map), "utf8")) as {
        sources: string[];
        sourcesContent?: Array<string | null>;
      };
      sources.forEach((source, index) => {
        const path = posix.normalize(posix.join(posix.dirname(map), source));
        if (!files.includes(path) && typeof sourcesContent?.[index] !== "string") missing.push(`${map} → ${source}`);
      });
    }
    expect(missing).toEqual([]);
    expect(dirname(tarball)).not.toBe(ROOT);
  });
});
