/**
 * The everyday commands against the emulator: ls (pages streamed as jsonl), inspect (--raw bytes hash to the digest),
 * digest, exists, tag, untag (never a manifest), rm (--with-tags), props, blob, push and pull; `--help` for each;
 * results on stdout only, and the exit code of each failure.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import type { FetchLike } from "../../../src/index";
import { CLI_USER, runCli, seedTwoPlatformIndex, userEnv } from "./support";

let registry: StartedEmulator;
let host: string;
let index: { digest: string };

beforeAll(async () => {
  registry = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password }, defaultPageSize: 2 });
  host = new URL(registry.url).host;
  index = await seedTwoPlatformIndex(registry.emulator, "cmd/app", "v1");
  for (const tag of ["v1.2.0", "v1.10.0", "v1.9.3", "latest"])
    await registry.emulator.seedImage({
      repository: "cmd/tags",
      tags: [tag],
      layers: [new TextEncoder().encode(`layer of ${tag}`)],
    });
  await registry.emulator.seedRepositories(5, { prefix: "many/r" });
});
afterAll(() => registry.close());

const env = () => userEnv();

describe("ls", () => {
  test("-o jsonl writes the first repository before the second page is asked for", async () => {
    const events: string[] = [];
    const fetch: FetchLike = async (request) => {
      if (new URL(request.url).pathname.endsWith("_catalog"))
        events.push(new URL(request.url).search.includes("last=") ? "page2" : "page1");
      return globalThis.fetch(request);
    };
    const run = await runCli(["ls", host, "-o", "jsonl"], { env: env(), fetch, events });
    expect(run.code).toBe(0);
    const names = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).name);
    expect(names).toEqual(expect.arrayContaining(["cmd/app", "cmd/tags", "many/r000"]));
    expect(events.indexOf("stdout")).toBeGreaterThan(-1);
    expect(events.indexOf("page2")).toBeGreaterThan(events.indexOf("stdout"));
  });

  test("tags with --sort semver, --include, --limit; json uses the library's field names", async () => {
    const run = await runCli(
      ["ls", `${host}/cmd/tags`, "--sort", "semver", "--include", "v.*", "--limit", "2", "-o", "json"],
      { env: env() },
    );
    expect(run.code).toBe(0);
    const { tags } = JSON.parse(run.stdout);
    expect(tags.map((t: { name: string }) => t.name)).toEqual(["v1.10.0", "v1.9.3"]);
    expect(Object.keys(tags[0])).toEqual(
      expect.arrayContaining(["name", "digest", "createdOn", "lastUpdatedOn", "canDelete"]),
    );
  });

  test("--manifests lists untagged manifests too; a bad --older-than is a usage error before any request", async () => {
    const run = await runCli(["ls", `${host}/cmd/app`, "--manifests", "-o", "json"], { env: env() });
    expect(JSON.parse(run.stdout).manifests.length).toBe(3);
    const before = registry.emulator.requests.length;
    const bad = await runCli(["ls", `${host}/cmd/app`, "--older-than", "999999999y", "-o", "json"], { env: env() });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.kind).toBe("Usage");
    expect(registry.emulator.requests.length).toBe(before);
  });
});

describe("inspect, digest, exists", () => {
  test("inspect --raw writes the exact bytes, whose sha256 is the digest; inspect shows both platforms", async () => {
    const raw = await runCli(["inspect", `${host}/cmd/app:v1`, "--raw"], { env: env() });
    expect(`sha256:${createHash("sha256").update(raw.stdoutBytes).digest("hex")}`).toBe(index.digest);
    const json = JSON.parse((await runCli(["inspect", `${host}/cmd/app:v1`, "-o", "json"], { env: env() })).stdout);
    expect(json).toMatchObject({ digest: index.digest, tags: ["v1"], canDelete: true, referrers: [] });
    expect(json.platforms.map((p: { platform: { architecture: string } }) => p.platform.architecture)).toEqual([
      "amd64",
      "arm64",
    ]);
  });

  test("digest prints the digest with one HEAD; exists answers 0 and 3 and prints nothing", async () => {
    const before = registry.emulator.requests.length;
    const run = await runCli(["digest", `${host}/cmd/app:v1`], { env: env() });
    expect(run.stdout.trim()).toBe(index.digest);
    expect(
      registry.emulator.requests
        .slice(before)
        .filter((r) => r.status !== 401 && !r.path.startsWith("/oauth2"))
        .map((r) => r.method),
    ).toEqual(["HEAD"]);
    const yes = await runCli(["exists", `${host}/cmd/app:v1`], { env: env() });
    const no = await runCli(["exists", `${host}/cmd/app:nope`], { env: env() });
    expect([yes.code, no.code, yes.stdout + no.stdout]).toEqual([0, 3, ""]);
  });

  test("a wrong password exits 4; a bad reference exits 2 naming it", async () => {
    const denied = await runCli(["digest", `${host}/cmd/app:v1`, "-o", "json"], {
      env: { ACRKIT_USERNAME: CLI_USER.username, ACRKIT_PASSWORD: "wrong-password-123" },
    });
    expect(denied.code).toBe(4);
    expect(JSON.parse(denied.stdout).error.kind).toBe("Authentication");
    const bad = await runCli(["digest", "app:v1"], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"app:v1" is not a registry host');
  });
});

describe("tag, untag, rm", () => {
  test("tag adds tags; untag removes one tag and never the manifest; rm refuses a tagged manifest without --with-tags", async () => {
    await registry.emulator.seedImage({ repository: "cmd/del", tags: ["a"] });
    expect((await runCli(["tag", `${host}/cmd/del:a`, "b", "c"], { env: env() })).code).toBe(0);
    expect((await runCli(["untag", `${host}/cmd/del:b`], { env: env() })).code).toBe(0);
    const tags = JSON.parse((await runCli(["ls", `${host}/cmd/del`, "-o", "json"], { env: env() })).stdout).tags.map(
      (t: { name: string }) => t.name,
    );
    expect(tags.sort()).toEqual(["a", "c"]);
    const refused = await runCli(["rm", `${host}/cmd/del:a`, "-o", "json"], { env: env() });
    expect(refused.code).toBe(5);
    const dry = await runCli(["rm", `${host}/cmd/del:a`, "--with-tags", "--dry-run", "-o", "json"], { env: env() });
    expect(JSON.parse(dry.stdout).deleted[0].tags.sort()).toEqual(["a", "c"]);
    expect((await runCli(["exists", `${host}/cmd/del:a`], { env: env() })).code).toBe(0);
    expect((await runCli(["rm", `${host}/cmd/del:a`, "--with-tags"], { env: env() })).code).toBe(0);
    expect((await runCli(["exists", `${host}/cmd/del:c`], { env: env() })).code).toBe(3);
  });

  test("props set locks a manifest; rm then exits 5 and the manifest stays", async () => {
    const image = await registry.emulator.seedImage({ repository: "cmd/locked", tags: ["x"] });
    const set = await runCli(
      ["props", "set", `${host}/cmd/locked@${image.digest}`, "--delete-enabled", "false", "-o", "json"],
      { env: env() },
    );
    expect(JSON.parse(set.stdout)).toMatchObject({ digest: image.digest, canDelete: false });
    const got = JSON.parse(
      (await runCli(["props", "get", `${host}/cmd/locked:x`, "-o", "json"], { env: env() })).stdout,
    );
    expect(got).toMatchObject({ name: "x", digest: image.digest });
    const rm = await runCli(["rm", `${host}/cmd/locked@${image.digest}`, "--with-tags", "-o", "json"], { env: env() });
    expect(rm.code, rm.stdout).toBe(5);
    expect((await runCli(["exists", `${host}/cmd/locked:x`], { env: env() })).code).toBe(0);
  });
});

describe("blob, push, pull", () => {
  test("blob put - and blob get - round-trip bytes through stdin and stdout", async () => {
    const data = new TextEncoder().encode("blob through the command line\n".repeat(100));
    const put = await runCli(["blob", "put", `${host}/cmd/blobs`, "-"], { env: env(), stdin: data });
    const digest = put.stdout.trim();
    expect(digest).toBe(`sha256:${createHash("sha256").update(data).digest("hex")}`);
    const get = await runCli(["blob", "get", `${host}/cmd/blobs@${digest}`, "-"], { env: env() });
    expect(Buffer.from(get.stdoutBytes).equals(Buffer.from(data))).toBe(true);
  });

  test("push files with an annotation and a subject, then pull them back verified", async () => {
    const dir = mkdtempSync(join(tmpdir(), "acrkit-cli-push-"));
    writeFileSync(join(dir, "sbom.json"), '{"packages":[]}');
    writeFileSync(join(dir, "notes.txt"), "hello");
    const pushed = await runCli(
      [
        "push",
        `${host}/cmd/app:sbom`,
        `${join(dir, "sbom.json")}:application/spdx+json`,
        join(dir, "notes.txt"),
        "--artifact-type",
        "application/vnd.example.sbom",
        "--annotation",
        "team=cli",
        "--subject",
        `${host}/cmd/app:v1`,
        "-o",
        "json",
      ],
      { env: env() },
    );
    expect(pushed.code).toBe(0);
    const inspect = JSON.parse((await runCli(["inspect", `${host}/cmd/app:v1`, "-o", "json"], { env: env() })).stdout);
    expect(inspect.referrers.map((r: { artifactType: string }) => r.artifactType)).toEqual([
      "application/vnd.example.sbom",
    ]);
    const out = join(dir, "out");
    const pulled = await runCli(["pull", `${host}/cmd/app:sbom`, "-o", out], { env: env() });
    expect(pulled.code).toBe(0);
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("hello");
  });
});

describe("help", () => {
  test.each([
    "ls",
    "inspect",
    "digest",
    "exists",
    "cp",
    "tag",
    "untag",
    "rm",
    "push",
    "pull",
    "blob",
    "purge",
    "props",
    "login",
    "logout",
    "auth",
  ])("acrkit %s --help", async (name) => {
    const run = await runCli([name, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`usage: acrkit ${name}`);
    expect(run.stdout).toContain("Exit codes:");
  });
});
