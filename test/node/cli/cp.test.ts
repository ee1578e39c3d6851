/**
 * `acrkit cp` against the emulator, counting the requests that reach it: the copy of a 2-platform index between two
 * repositories of one registry moves no blob byte, and a second copy finds it there and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { CLI_USER, countRequests, runCli, seedTwoPlatformIndex, userEnv } from "./support";

let registry: StartedEmulator;
let host: string;
let seeded: { digest: string; blobs: string[] };

beforeAll(async () => {
  registry = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
  host = new URL(registry.url).host;
  seeded = await seedTwoPlatformIndex(registry.emulator, "team/app", "v1");
});
afterAll(() => registry.close());

describe("acrkit cp within one registry", () => {
  test("a 2-platform index (12 blobs, 3 manifests): 0 blob bytes, every blob mounted, within the request budget", async () => {
    const from = registry.emulator.requests.length;
    const run = await runCli(["cp", `${host}/team/app:v1`, `${host}/mirror/app:v1`, "-o", "json"], { env: userEnv() });
    expect(run.stderr).not.toContain("acrkit:");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      status: "copied",
      digest: seeded.digest,
      manifests: 3,
      blobs: { mounted: 12, copied: 0 },
    });
    const { registry: requests, auth, blobWrites } = countRequests(registry.emulator, from);
    expect(blobWrites).toEqual([]);
    expect(requests.filter((r) => r.method === "POST" && r.path.includes("mount=")).length).toBe(12);
    // GET index, HEAD destination, referrers, GET 2 children, 12 mounts, 3 PUTs: 20 (the target is 19; the one
    // HEAD of the destination is what lets the next copy stop at 3 requests).
    expect(requests.length, requests.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n")).toBeLessThanOrEqual(
      20,
    );
    // The challenge and one token for the copy's declared scopes (source pull, destination pull and push).
    expect(auth.length, auth.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n")).toBeLessThanOrEqual(3);
  });

  test("again, with the destination holding it: unchanged, at most 3 requests (2 with --no-referrers), exit 0", async () => {
    let from = registry.emulator.requests.length;
    const run = await runCli(["cp", `${host}/team/app:v1`, `${host}/mirror/app:v1`, "-o", "json"], { env: userEnv() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "unchanged", digest: seeded.digest });
    expect(countRequests(registry.emulator, from).registry.length).toBeLessThanOrEqual(3);

    from = registry.emulator.requests.length;
    const quick = await runCli(["cp", `${host}/team/app:v1`, `${host}/mirror/app:v1`, "--no-referrers", "-o", "json"], {
      env: userEnv(),
    });
    expect(JSON.parse(quick.stdout)).toMatchObject({ status: "unchanged" });
    expect(countRequests(registry.emulator, from).registry.length).toBeLessThanOrEqual(2);
  });

  test("--dry-run writes nothing and says planned", async () => {
    const from = registry.emulator.requests.length;
    const run = await runCli(["cp", `${host}/team/app:v1`, `${host}/other/app:v1`, "--dry-run", "-o", "json"], {
      env: userEnv(),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "planned", digest: seeded.digest });
    expect(countRequests(registry.emulator, from).registry.filter((r) => !["GET", "HEAD"].includes(r.method))).toEqual(
      [],
    );
  });

  test("--platform copies one platform into a new index, with a warning that the digest changes", async () => {
    const run = await runCli(
      ["cp", `${host}/team/app:v1`, `${host}/slim/app:amd64`, "--platform", "linux/amd64", "-o", "json"],
      { env: userEnv() },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("digest differs");
    const report = JSON.parse(run.stdout);
    expect(report.digest).not.toBe(seeded.digest);
    const inspect = await runCli(["inspect", `${host}/slim/app:amd64`, "-o", "json"], { env: userEnv() });
    expect(
      JSON.parse(inspect.stdout).platforms.map((p: { platform: { architecture: string } }) => p.platform.architecture),
    ).toEqual(["amd64"]);
  });

  test("a missing source exits 3 with one JSON error object on stdout", async () => {
    const run = await runCli(["cp", `${host}/team/app:nope`, `${host}/mirror/app:nope`, "-o", "json"], {
      env: userEnv(),
    });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 3, kind: "NotFound", statusCode: 404 } });
  });

  test("--all-tags with --include and --keep-going: every tag tried, a locked destination tag fails, exit 8", async () => {
    for (const tag of ["t1", "t2", "t3", "skip"])
      await registry.emulator.seedImage({
        repository: "multi/app",
        tags: [tag],
        layers: [new TextEncoder().encode(`multi ${tag}`)],
      });
    await registry.emulator.seedImage({
      repository: "multi/copy",
      tags: ["t2"],
      layers: [new TextEncoder().encode("already there")],
    });
    registry.emulator.setAttributes({ repository: "multi/copy", tag: "t2" }, { writeEnabled: false });
    const run = await runCli(
      [
        "cp",
        `${host}/multi/app`,
        `${host}/multi/copy`,
        "--all-tags",
        "--include",
        "t[0-9]",
        "--keep-going",
        "-o",
        "json",
      ],
      { env: userEnv() },
    );
    expect(run.code).toBe(8);
    // One document: the result, with the failed copy in it.
    const result = JSON.parse(run.stdout);
    expect(result.failed).toBe(1);
    expect(result.copies.map((c: { status: string }) => c.status).sort()).toEqual(["copied", "copied", "failed"]);
    expect((await runCli(["exists", `${host}/multi/copy:skip`], { env: userEnv() })).code).toBe(3);
  });

  test("an interrupted run exits 130", async () => {
    const interrupt = new AbortController();
    interrupt.abort(Object.assign(new Error("Interrupted"), { name: "InterruptedError" }));
    const run = await runCli(["cp", `${host}/team/app:v1`, `${host}/late/app:v1`, "-o", "json"], {
      env: userEnv(),
      signal: interrupt.signal,
    });
    expect(run.code).toBe(130);
    expect(JSON.parse(run.stdout).error.kind).toBe("Interrupted");
  });
});
