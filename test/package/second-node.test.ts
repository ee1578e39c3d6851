/**
 * The supported range in package.json's `engines` on a second Node: the current LTS next to the Node that runs the
 * suite (20). The runtime smoke runs on the installed tarball, and the Node suite's examples run as users run them.
 */
import { copyFileSync, cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packed, ROOT } from "./support/paths";
import { runCommand } from "./support/run-command";
import { environmentOutsideVitest, SECOND_NODE_VERSION, secondNode } from "./support/second-node";

describe(`Node ${SECOND_NODE_VERSION}`, () => {
  const { consumer } = packed();
  let node: string;

  beforeAll(async () => {
    node = await secondNode();
  });

  it("is an LTS release inside the engines range, and not the Node running this suite", async () => {
    const result = await runCommand(node, ["-p", "JSON.stringify([process.version, process.release.lts ?? null])"], { cwd: ROOT });
    const [version, lts] = JSON.parse(result.stdout) as [string, string | null];
    expect(version).toBe(`v${SECOND_NODE_VERSION}`);
    expect(lts, `${version} is not an LTS release`).toEqual(expect.any(String));
    expect(version.split(".")[0]).not.toBe(process.version.split(".")[0]);
    const { engines } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    const minimum = /^>=(\d+)\.(\d+)/.exec(engines.node)!;
    expect(Number(version.slice(1).split(".")[0])).toBeGreaterThanOrEqual(Number(minimum[1]));
  });

  it("runs the runtime smoke (upload, verified download, manifests, listing) on the installed tarball", async () => {
    copyFileSync(join(ROOT, "test/runtimes/smoke.mjs"), join(consumer, "smoke.mjs"));
    // The smoke's stand-in `az` and credential helper live beside it.
    cpSync(join(ROOT, "test/runtimes/fakes"), join(consumer, "fakes"), { recursive: true });
    const result = await runCommand(node, ["smoke.mjs"], { cwd: consumer });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain(`runtime smoke passed on node v${SECOND_NODE_VERSION}`);
  });

  it("runs every example of the Node suite (test/node/examples) as a user runs it", async () => {
    const vitest = join(ROOT, "node_modules/vitest/vitest.mjs");
    const result = await runCommand(node, [vitest, "run", "--project", "node", "test/node/examples/examples.test.ts"], {
      cwd: ROOT,
      env: { ...environmentOutsideVitest(), NO_COLOR: "1" },
    });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+.*\d+ passed/);
    expect(result.stdout).not.toMatch(/\d+ (failed|skipped)/);
    console.log(`examples on Node ${SECOND_NODE_VERSION}: ${/Tests\s+(.*)/.exec(result.stdout)?.[1]?.trim()}`);
  });
});
