/**
 * Packs the package once (`npm pack`, from the dist/ that `npm test` built) and installs the tarball into a consumer
 * project in a temporary folder outside the repository, so nothing resolves through the repository's own
 * node_modules: what the checks see is what a user installs. The fixtures are copied next to it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { FIXTURES, ROOT } from "./support/paths";
import { runOrThrow } from "./support/run-command";

export default async function setup(project: TestProject): Promise<() => void> {
  const work = mkdtempSync(join(tmpdir(), "acrkit-package-"));
  const packOutput = await runOrThrow("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT });
  const [{ filename }] = JSON.parse(packOutput.stdout) as Array<{ filename: string }>;
  const tarball = join(work, filename);

  const consumer = join(work, "consumer");
  mkdirSync(consumer);
  const { devDependencies } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  // What a consumer of acrkit/node has anyway; the same version as ours so that npm takes it from its cache.
  const dependencies = { acrkit: `file:${tarball}`, "@types/node": devDependencies["@types/node"] };
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "acrkit-consumer", private: true, dependencies }, null, 2),
  );
  // The npm registry only (through npm's cache when it has the packages already): nothing else is reached.
  await runOrThrow("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], {
    cwd: consumer,
  });
  cpSync(FIXTURES, join(consumer, "fixtures"), { recursive: true });

  project.provide("tarball", tarball);
  project.provide("consumer", consumer);
  return () => rmSync(work, { recursive: true, force: true });
}
