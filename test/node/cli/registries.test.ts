/**
 * The commands beyond the emulator: docker-registry 2.8 (no /acr/v1, no tag delete), an OCI image layout that skopeo
 * reads, and recorded ACR traffic replayed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startDockerRegistry, type RunningDockerRegistry } from "../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { loadRecording, startReplayServer } from "../../support/replay-server";
import { skopeo } from "../../support/skopeo";
import { CLI_USER, runCli, seedTwoPlatformIndex, userEnv } from "./support";

// The recordings live in this repository, beside the replay tests that read them all.
const RECORDINGS = join(import.meta.dirname, "../replay/recordings");

describe("docker-registry 2.8", () => {
  let source: StartedEmulator;
  let distribution: RunningDockerRegistry;
  let index: { digest: string; blobs: string[] };
  let src: string;
  let dst: string;

  beforeAll(async () => {
    source = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
    distribution = await startDockerRegistry();
    index = await seedTwoPlatformIndex(source.emulator, "dr/app", "v1");
    src = new URL(source.url).host;
    dst = new URL(distribution.url).host;
  });
  afterAll(async () => {
    await distribution?.stop();
    await source?.close();
  });

  test("cp from the emulator keeps the digest; ls, inspect and digest work without /acr/v1", async () => {
    const copy = await runCli(["cp", `${src}/dr/app:v1`, `${dst}/dr/app:v1`, "-o", "json"], { env: userEnv() });
    expect(copy.code, copy.stderr).toBe(0);
    expect(JSON.parse(copy.stdout)).toMatchObject({ status: "copied", digest: index.digest, blobs: { copied: 12 } });
    expect((await runCli(["digest", `${dst}/dr/app:v1`])).stdout.trim()).toBe(index.digest);
    expect(
      JSON.parse((await runCli(["ls", `${dst}/dr/app`, "-o", "json"])).stdout).tags.map(
        (t: { name: string }) => t.name,
      ),
    ).toEqual(["v1"]);
    const inspect = JSON.parse((await runCli(["inspect", `${dst}/dr/app:v1`, "-o", "json"])).stdout);
    expect(inspect.platforms).toHaveLength(2);
    expect(inspect.tags).toBeUndefined();
    const again = await runCli(["cp", `${src}/dr/app:v1`, `${dst}/dr/app:v1`, "-o", "json"], { env: userEnv() });
    expect(JSON.parse(again.stdout).status).toBe("unchanged");
  });

  test("untag on a registry that cannot delete a tag alone fails and leaves the manifest", async () => {
    await runCli(["tag", `${dst}/dr/app:v1`, "extra"]);
    const untag = await runCli(["untag", `${dst}/dr/app:extra`, "-o", "json"]);
    expect(untag.code).not.toBe(0);
    expect(JSON.parse(untag.stdout).error.class).toBe("UnsupportedOperationError");
    expect((await runCli(["exists", `${dst}/dr/app:extra`])).code).toBe(0);
  });

  test("cp to an OCI layout that skopeo reads, and back to another repository, digests kept", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "acrkit-cli-layout-")), "layout");
    const out = await runCli(["cp", `${dst}/dr/app:v1`, `oci:${dir}:v1`, "-o", "json"]);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout).digest).toBe(index.digest);
    const raw = await skopeo(["inspect", "--raw", `oci:${dir}:v1`]);
    expect(JSON.parse(raw).manifests).toHaveLength(2);
    const back = await runCli(["cp", `oci:${dir}:v1`, `${dst}/dr/back:v1`, "-o", "json"]);
    expect(back.code, back.stderr).toBe(0);
    expect((await runCli(["digest", `${dst}/dr/back:v1`])).stdout.trim()).toBe(index.digest);
  });
});

describe("recorded ACR traffic", () => {
  test("ls REGISTRY --page-size 2 drives the anonymous catalog recording page by page", async () => {
    const file = "assets_test_anon_access.pyTestContainerRegistryClienttest_list_repository_names_by_page.json";
    const server = await startReplayServer(loadRecording(join(RECORDINGS, file)));
    try {
      const run = await runCli(["ls", new URL(server.url).host, "--page-size", "2", "-o", "jsonl"]);
      expect(run.code, run.stderr).toBe(0);
      expect(
        run.stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line).name),
      ).toEqual(["library/alpine", "library/busybox", "library/hello-world"]);
      expect(server.mismatches).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
