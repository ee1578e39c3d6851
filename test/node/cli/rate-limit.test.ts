/**
 * `acrkit cp --concurrency 32` against a registry that allows 10 requests a second (429 with Retry-After): every
 * operation succeeds, by pausing on Retry-After, halving the requests in flight and sending refused requests again.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy";
import { rateLimitRule } from "../../support/rate-limit";
import { CLI_USER, runCli, seedTwoPlatformIndex, userEnv } from "./support";

let source: StartedEmulator;
let destination: StartedEmulator;
let limited: FaultProxy;

beforeAll(async () => {
  source = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
  destination = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
  limited = await startFaultProxy({ upstream: destination.url, seed: 21, rules: [rateLimitRule(10)] });
});
afterAll(async () => {
  await limited.close();
  await Promise.all([source.close(), destination.close()]);
});

test("cp --concurrency 32 meets 10 requests a second: 0 failed operations, the limit was hit, digests kept", async () => {
  const { digest, blobs } = await seedTwoPlatformIndex(source.emulator, "rl/app", "v1");
  const src = new URL(source.url).host;
  const dst = new URL(limited.url).host;
  const run = await runCli(["cp", `${src}/rl/app:v1`, `${dst}/rl/app:v1`, "--concurrency", "32", "-o", "json"], {
    env: userEnv(),
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ status: "copied", digest, blobs: { copied: blobs.length } });
  expect(limited.stats.faults.status ?? 0).toBeGreaterThan(0);
  const check = await runCli(["digest", `${dst}/rl/app:v1`], { env: userEnv() });
  expect(check.stdout.trim()).toBe(digest);
});
