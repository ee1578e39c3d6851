/**
 * The Node versions users run (22 and 24, maintenance LTS; 26, the current line), next to the machine's Node that
 * runs the suite: on each, the runtime smoke and every example of examples/ run on the installed tarball, as a user
 * runs them; the CORS proxy's and the dashboard's tests run on it too. `npm run test:node26` runs the whole Node
 * suite on 26.
 */
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../../examples/list";
import { environmentOutsideVitest, NODE_VERSIONS, nodeBinary } from "./support/node-versions";
import { packed, ROOT } from "./support/paths";
import { runCommand } from "./support/run-command";

/** How many examples run at once: each starts its own emulator, and the machine is shared. */
const EXAMPLES_AT_ONCE = 3;
/** tsx's loader from the repository: the examples are TypeScript, and the consumer project installs only acrkit. */
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
/** What every example prints first, whichever registry it starts (examples.test.ts checks the rest of their output). */
const REGISTRY_LINE =
  /^Registry: embedded emulator at http:\/\/127\.0\.0\.1:\d+ |emulator is running at http:\/\/127\.0\.0\.1:\d+/m;
/** The LTS lines among NODE_VERSIONS; 26.10.0, the newest 26 release on the npm registry, predates 26's LTS promotion. */
const LTS_LINES = ["22", "24"];

/** The environment of an example: nothing that points it at a real registry or real credentials. */
function offlineEnvironment(): NodeJS.ProcessEnv {
  const env = environmentOutsideVitest();
  for (const name of Object.keys(env))
    if (name.startsWith("CONTAINERREGISTRY_") || name.startsWith("AZURE_")) delete env[name];
  return { ...env, NO_COLOR: "1" };
}

/** Runs `run` over `items`, at most `limit` at a time, in order of start. */
async function inBatches<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit)
    results.push(...(await Promise.all(items.slice(start, start + limit).map(run))));
  return results;
}

describe.each(NODE_VERSIONS)("Node %s", (version) => {
  const { consumer } = packed();
  const major = version.split(".")[0]!;
  let node: string;

  beforeAll(async () => {
    node = await nodeBinary(version);
    // The examples and the smoke's stand-in `az` and credential helper, next to the installed tarball.
    cpSync(join(ROOT, "examples"), join(consumer, "examples"), { recursive: true });
    // ES modules, as in the repository (the consumer's own package.json does not say).
    writeFileSync(join(consumer, "examples/package.json"), JSON.stringify({ type: "module" }));
    copyFileSync(join(ROOT, "test/runtimes/smoke.mjs"), join(consumer, "smoke.mjs"));
    cpSync(join(ROOT, "test/runtimes/fakes"), join(consumer, "fakes"), { recursive: true });
  });

  it("is that release, inside the engines range, and not the Node running this suite", async () => {
    const result = await runCommand(node, ["-p", "JSON.stringify([process.version, process.release.lts ?? null])"], {
      cwd: ROOT,
    });
    const [reported, lts] = JSON.parse(result.stdout) as [string, string | null];
    expect(reported).toBe(`v${version}`);
    if (LTS_LINES.includes(major)) expect(lts, `${reported} is not an LTS release`).toEqual(expect.any(String));
    expect(major).not.toBe(process.version.slice(1).split(".")[0]);
    const { engines } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    expect(Number(major)).toBeGreaterThanOrEqual(Number(/^>=(\d+)/.exec(engines.node)![1]));
  });

  it("runs the runtime smoke (upload, verified download, manifests, listing, az and docker config sign-ins) on the installed tarball", async () => {
    const result = await runCommand(node, ["smoke.mjs"], { cwd: consumer });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain(`runtime smoke passed on node v${version}`);
  });

  it("runs every example of examples/ on the installed tarball", async () => {
    const runs = await inBatches(EXAMPLES, EXAMPLES_AT_ONCE, async ({ file }) => ({
      file,
      ...(await runCommand(node, ["--import", TSX_LOADER, file], {
        cwd: join(consumer, "examples"),
        env: offlineEnvironment(),
      })),
    }));
    for (const run of runs) {
      expect(run.code, `${run.file}\n${run.output}`).toBe(0);
      expect(run.stdout, run.file).toMatch(REGISTRY_LINE);
    }
    expect(runs.map((run) => run.file)).toEqual(EXAMPLES.map((example) => example.file));
  });

  it("runs the CORS proxy's and the dashboard's tests", async () => {
    const vitest = join(ROOT, "node_modules/vitest/vitest.mjs");
    const files = ["test/node/examples/cors-proxy.test.ts", "test/browser/dashboard.test.ts"];
    const result = await runCommand(node, [vitest, "run", "--project", "node", "--project", "e2e", ...files], {
      cwd: ROOT,
      env: offlineEnvironment(),
    });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(result.stdout).not.toMatch(/\d+ (failed|skipped)/);
    console.log(`CORS proxy and dashboard on Node ${version}: ${/Tests\s+(.*)/.exec(result.stdout)?.[1]?.trim()}`);
  });
});
