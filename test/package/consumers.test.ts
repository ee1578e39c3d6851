/**
 * Consumer projects of the installed tarball: the types of every entry point compile in each TypeScript resolution
 * mode with skipLibCheck off, and both module formats load at run time with one copy of the core.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, packed } from "./support/paths";
import { runCommand } from "./support/run-command";

/** Each mode's folder and the file name its module format needs (.cts is CommonJS, .mts ESM under node16). */
const MODES = [
  { mode: "node10", file: "index.ts" },
  { mode: "node16-esm", file: "index.mts" },
  { mode: "node16-cjs", file: "index.cts" },
  { mode: "bundler", file: "index.ts" },
];

describe("TypeScript consumers, skipLibCheck off", () => {
  const { consumer } = packed();
  const types = join(consumer, "fixtures/types");

  it.each(MODES)("compile in $mode resolution ($file)", async ({ mode, file }) => {
    copyFileSync(join(types, "consumer.ts"), join(types, mode, file));
    const result = await runCommand(bin("tsc"), ["-p", join(types, mode), "--pretty", "false"], {
      cwd: join(types, mode),
    });
    expect(result.stdout + result.stderr, result.output).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("module formats at run time", () => {
  const { consumer } = packed();
  const ENTRY_POINTS = ["acrkit", "acrkit/node", "acrkit/browser", "acrkit/emulator"];

  it("require() loads every entry point, and acrkit/node's client is acrkit's", async () => {
    const script = `
      const loaded = ${JSON.stringify(ENTRY_POINTS)}.map((name) => require(name));
      if (loaded[1].ContainerRegistryClient !== loaded[0].ContainerRegistryClient) throw new Error("two copies of the client");
      if (typeof loaded[3].createEmulator !== "function") throw new Error("no createEmulator");
      console.log(loaded.map((entry) => Object.keys(entry).length).join(" "));`;
    const result = await runCommand(process.execPath, ["-e", script], { cwd: consumer });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+ \d+ \d+ \d+$/);
  });

  it("import loads every entry point, and acrkit/node's client is acrkit's", async () => {
    const script = `
      const loaded = await Promise.all(${JSON.stringify(ENTRY_POINTS)}.map((name) => import(name)));
      if (loaded[1].ContainerRegistryClient !== loaded[0].ContainerRegistryClient) throw new Error("two copies of the client");
      if (typeof loaded[3].createEmulator !== "function") throw new Error("no createEmulator");
      console.log(loaded.map((entry) => Object.keys(entry).length).join(" "));`;
    const result = await runCommand(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+ \d+ \d+ \d+$/);
  });
});
