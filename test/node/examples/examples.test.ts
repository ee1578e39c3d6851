/**
 * Every example of examples/ run as a user runs it: a child process with tsx, importing the built package
 * ("acrkit", "acrkit/node", "acrkit/emulator" resolve to dist/), with no registry configured, so each starts its own
 * emulator on loopback. Checks the exit code and what the example printed.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../../../examples/list";

const examplesDir = fileURLToPath(new URL("../../../examples/", import.meta.url));
const distEntry = fileURLToPath(new URL("../../../dist/node.js", import.meta.url));
const DIGEST = /sha256:[0-9a-f]{64}/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without anything that would point an example at a real registry or real credentials. */
function offlineEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("CONTAINERREGISTRY_") || name.startsWith("AZURE_")) delete env[name];
  }
  return env;
}

function runExample(file: string, args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", file, ...args], {
      cwd: examplesDir,
      env: offlineEnvironment(),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs an example and expects success; the output is part of the failure message so a broken example explains itself. */
async function expectSuccess(file: string): Promise<string> {
  const run = await runExample(file);
  expect(run.code, `${file} exited with ${run.code}\n${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(
    /^Registry: embedded emulator at http:\/\/127\.0\.0\.1:\d+ |emulator is running at http:\/\/127\.0\.0\.1:\d+/m,
  );
  return run.stdout;
}

beforeAll(() => {
  // The examples import the package by name, which resolves to dist/: `npm test` builds it first.
  if (!existsSync(distEntry)) throw new Error("dist/ is missing: run `npm run build` before these tests");
});

describe("the list of examples", () => {
  it("holds every script in examples/, so npm run examples misses none", () => {
    const scripts = readdirSync(examplesDir).filter(
      (name) => name.endsWith(".ts") && name !== "run-all.ts" && name !== "list.ts",
    );
    expect(EXAMPLES.map((example) => example.file).sort()).toEqual(scripts.sort());
  });
});

describe.concurrent("each example, offline", () => {
  it("list-repositories prints every seeded repository and the count", async () => {
    const out = await expectSuccess("list-repositories.ts");
    expect(out).toMatch(/^ {2}hello-world\n {2}library\/alpine\n {2}team\/app\n3 repositories$/m);
  });

  it("list-tags-anonymous reads the tags without a credential", async () => {
    const out = await expectSuccess("list-tags-anonymous.ts");
    expect(out).toContain("set CONTAINERREGISTRY_ANONREGISTRY_ENDPOINT");
    expect(out).toMatch(/Tags of library\/hello-world:\n {2}latest\n {2}linux\n {2}v1\n/);
  });

  it("set-artifact-properties locks the image", async () => {
    const out = await expectSuccess("set-artifact-properties.ts");
    expect(out).toMatch(/canWrite: +false/);
    expect(out).toMatch(/canDelete: +false/);
    expect(out).toMatch(/canRead: +true/);
  });

  it("upload-image pushes a layer, a config and a tagged manifest", async () => {
    const out = await expectSuccess("upload-image.ts");
    expect(out).toMatch(new RegExp(`Uploaded layer: +digest ${DIGEST.source}, size 12\\b`));
    expect(out).toMatch(new RegExp(`Uploaded config: digest ${DIGEST.source}, size 27\\b`));
    expect(out).toMatch(new RegExp(`Uploaded manifest: digest ${DIGEST.source}, tagged sample-oci-image:latest`));
  });

  it("download-image writes the layer and the config and removes its temporary directory", async () => {
    const out = await expectSuccess("download-image.ts");
    expect(out).toContain('"schemaVersion": 2');
    expect(out).toMatch(/Got layer: +\S+[/\\][0-9a-f]{64}\n/);
    expect(out).toMatch(/Got config: \S+config\.json\n/);
    expect(out).not.toContain("did not match");
    expect(out).toContain("removed the temporary directory");
  });

  it("upload-file-with-progress draws the bar to 100% and the registry then has the blob", async () => {
    const out = await expectSuccess("upload-file-with-progress.ts");
    expect(out).toMatch(/upload \[#{30}\] 100% {2}24\.0 MiB \/ 24\.0 MiB/);
    expect(out).toMatch(new RegExp(`Uploaded ${DIGEST.source} \\(24\\.0 MiB\\)`));
    expect(out).toContain("Registry has it: true");
  });

  it("download-layer-to-file saves the largest layer, whose file hashes to its digest", async () => {
    const out = await expectSuccess("download-layer-to-file.ts");
    expect(out).toMatch(/download \[#{30}\] 100% {2}16\.0 MiB \/ 16\.0 MiB/);
    expect(out).toContain("Saved 16.0 MiB to");
    expect(out).toMatch(new RegExp(`File digest matches the manifest: ${DIGEST.source}`));
  });

  it("list-repositories-az-login lists with the token az printed", async () => {
    const out = await expectSuccess("list-repositories-az-login.ts");
    expect(out).toMatch(/stand-in `az` answers for `az login`\)\n {2}hello-world\n {2}team\/app\n/);
  });

  it("docker-config-login lists with the identity token az acr login stored", async () => {
    const out = await expectSuccess("docker-config-login.ts");
    expect(out).toMatch(/holds what `az acr login` stores\)\n {2}hello-world\n {2}team\/app\n/);
  });

  it("delete-blobs deletes the layer and the config", async () => {
    const out = await expectSuccess("delete-blobs.ts");
    expect(out).toMatch(new RegExp(`Deleted layer +${DIGEST.source}`));
    expect(out).toMatch(new RegExp(`Deleted config ${DIGEST.source}`));
    expect(out).toContain("Config blob still exists: false");
  });

  it("delete-manifest deletes the image the tag pointed at", async () => {
    const out = await expectSuccess("delete-manifest.ts");
    expect(out).toMatch(new RegExp(`Deleted sample-oci-image@${DIGEST.source}`));
    expect(out).toContain("sample-oci-image:latest still exists: false");
  });

  it("delete-images deletes exactly the two oldest of five, the locked one included, and nothing of a repository of two", async () => {
    const out = await expectSuccess("delete-images.ts");
    const deletions = out.split("\n").filter((line) => line.startsWith("Deleting "));
    expect(deletions).toHaveLength(2);
    expect(deletions.every((line) => line.startsWith("Deleting library/hello-world@sha256:"))).toBe(true);
    expect(deletions.map((line) => line.replace(/.*\((.*)\)$/, "$1")).sort()).toEqual(["v1", "v2"]);
    expect(out).toContain("Deleted 2 images");
  });

  it("push-pull-artifact pushes three files and pulls them back into a directory, verified", async () => {
    const out = await expectSuccess("push-pull-artifact.ts");
    expect(out).toMatch(new RegExp(`Pushed samples/release-bundle:1.0 as ${DIGEST.source}`));
    expect(out).toContain("with 3 files:");
    expect(out.match(/^Wrote .*\/pulled\/(README\.md|checksums\.txt|app\.tar\.gz) /gm)).toHaveLength(3);
    expect(out).toContain("README.md pulled back identical to what was pushed");
  });

  it("purge previews, then deletes exactly what it previewed and leaves the locked release", async () => {
    const out = await expectSuccess("purge.ts");
    expect(out).toContain("Dry run: 5 to delete, 2 kept, 1 locked");
    expect(out.match(/^would delete {2}ci\/app@/gm)).toHaveLength(5);
    expect(out).toMatch(/^locked, kept {2}ci\/app@.*\(release-1\)$/m);
    expect(out).toContain("Deleted 5 manifests; 1 locked one(s) left alone.");
    expect(out).toContain("ci/app now holds 3 manifests: ");
    expect(out).not.toContain("team/web");
  });
});

// Alone, not among the concurrent ones above, so that its time is its own.
describe("npm start", () => {
  it("the demo pushes, lists, locks, pulls back identical bytes and cleans up, and reports its time", async () => {
    const out = await expectSuccess("demo.ts");
    expect(out).toMatch(/layer +\[#{30}\] 100% {2}8\.0 MiB \/ 8\.0 MiB/);
    expect(out).toMatch(/demo\/hello +5 manifests, 5 tags/);
    expect(out).toMatch(/platform +linux\/amd64/);
    expect(out).toMatch(/canWrite false, canDelete false/);
    expect(out).toMatch(/deleting it now fails: RegistryError 4\d\d/);
    expect(out).toContain("manifest matches the pushed digest");
    expect(out.match(/identical to what was pushed/g)).toHaveLength(2);
    expect(out).toContain("demo/hello keeps 0.3, 0.4, 1.0");
    // Its own clock, from its first line to its last. A bound that catches a hang only, wide enough for a loaded
    // 2-core machine: how fast the demo runs is not a claim.
    const seconds = Number(/^Done in (\d+\.\d) s\./m.exec(out)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);
  });
});
