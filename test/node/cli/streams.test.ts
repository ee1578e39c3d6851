/**
 * stdout holds results only: no progress byte in any format, on a terminal or not, with --debug too; progress on a
 * pipe is one plain line per operation at most every 10 s; and no secret (the password, the tokens the registry
 * issued) in stdout, stderr or --debug output.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { leakedSecrets } from "../../support/secret-scan";
import type { FetchLike } from "../../../src/index";
import { CLI_USER, runCli, seedTwoPlatformIndex, userEnv } from "./support";

let source: StartedEmulator;
let destination: StartedEmulator;

beforeAll(async () => {
  source = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
  destination = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
  await seedTwoPlatformIndex(source.emulator, "io/app", "v1");
});
afterAll(() => Promise.all([source.close(), destination.close()]));

/** A fetch that keeps every credential that went over the wire: Basic, Bearer tokens, and token answers. */
function secretCollector(): { fetch: FetchLike; secrets: Set<string> } {
  const secrets = new Set<string>([CLI_USER.password]);
  const fetch: FetchLike = async (request) => {
    const authorization = request.headers.get("authorization");
    if (authorization) secrets.add(authorization.replace(/^\w+ /, ""));
    const response = await globalThis.fetch(request);
    if (new URL(request.url).pathname.startsWith("/oauth2/") && response.ok) {
      const body = (await response.clone().json()) as Record<string, unknown>;
      for (const key of ["access_token", "token", "refresh_token"])
        if (typeof body[key] === "string") secrets.add(body[key] as string);
    }
    return response;
  };
  return { fetch, secrets };
}

describe("stdout and stderr", () => {
  let n = 0;
  test.each([
    ["text", false],
    ["json", false],
    ["jsonl", false],
    ["text", true],
    ["json", true],
  ] as const)(
    "cp -o %s (stderr a terminal: %s) with --debug: stdout is the result alone, no secret anywhere",
    async (format, tty) => {
      const { fetch, secrets } = secretCollector();
      const src = new URL(source.url).host;
      const dst = new URL(destination.url).host;
      const run = await runCli(["cp", `${src}/io/app:v1`, `${dst}/io/app${n++}:v1`, "-o", format, "--debug"], {
        env: userEnv(),
        tty,
        fetch,
      });
      expect(run.code, run.stderr).toBe(0);
      if (format === "text") expect(run.stdout).toMatch(/^copied \S+ -> \S+ sha256:[0-9a-f]{64} \(blobs: [^)]*\)\n$/);
      else expect(Object.keys(JSON.parse(run.stdout))).toEqual(expect.arrayContaining(["status", "digest", "blobs"]));
      expect(run.stdout).not.toMatch(/\r|done,|\/s\)|GET |HEAD |PUT /);
      expect(run.stderr).toMatch(/PUT http/);
      expect(secrets.size).toBeGreaterThan(1);
      expect(leakedSecrets([run.stdout, run.stderr], secrets)).toEqual([]);
    },
  );

  test("progress on a pipe: one plain line per operation at most every 10 s (and one at the end), no bar", async () => {
    let clock = 0;
    const src = new URL(source.url).host;
    const dst = new URL(destination.url).host;
    const run = await runCli(["cp", `${src}/io/app:v1`, `${dst}/io/plain:v1`], {
      env: userEnv(),
      now: () => (clock += 1000),
    });
    const lines = run.stderr.split("\n").filter((line) => line.includes("done,"));
    expect(run.stderr).not.toContain("\r");
    expect(lines.length).toBeGreaterThanOrEqual(1);
    // The clock moves 1 s per reading: a copy read it well under 10 times per line written.
    expect(lines.length).toBeLessThanOrEqual(Math.ceil(clock / 10_000) + 1);
  });

  test("-q: nothing on stderr for a successful copy", async () => {
    const src = new URL(source.url).host;
    const dst = new URL(destination.url).host;
    const run = await runCli(["cp", `${src}/io/app:v1`, `${dst}/io/quiet:v1`, "-q"], { env: userEnv(), tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  test("a refused password is in no output and no JSON error", async () => {
    const secret = "refused-password-should-not-show-91c2";
    const run = await runCli(["ls", new URL(source.url).host, "-o", "json", "--debug"], {
      env: { ACRKIT_USERNAME: "nobody", ACRKIT_PASSWORD: secret },
    });
    expect(run.code).toBe(4);
    expect(leakedSecrets([run.stdout, run.stderr], [secret])).toEqual([]);
  });
});
