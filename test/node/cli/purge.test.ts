/**
 * `acrkit purge`: the dry run lists exactly what the real run then deletes (the same JSON, and the emulator's DELETE
 * log); never a platform image of an index that stays, a referrer of a subject that stays, or a locked manifest
 * without --include-locked.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, afterEach, describe, expect, test } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { CLI_USER, runCli, seedTwoPlatformIndex, userEnv } from "./support";

let registry: StartedEmulator;
let host: string;
let fixture: { index: string; children: string[]; subject: string; referrer: string; orphan: string; locked: string };

beforeEach(async () => {
  registry = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
  host = new URL(registry.url).host;
  const emulator = registry.emulator;
  const index = await seedTwoPlatformIndex(emulator, "ret/app", "stable");
  const children = (
    JSON.parse((await runCli(["inspect", `${host}/ret/app:stable`, "-o", "json"], { env: userEnv() })).stdout)
      .platforms as Array<{ digest: string }>
  ).map((p) => p.digest);
  const subject = await emulator.seedImage({
    repository: "ret/app",
    tags: ["signed"],
    layers: [new TextEncoder().encode("signed image")],
  });
  const dir = mkdtempSync(join(tmpdir(), "acrkit-cli-purge-"));
  writeFileSync(join(dir, "sig"), "signature");
  const pushed = await runCli(
    [
      "push",
      `${host}/ret/app`,
      join(dir, "sig"),
      "--artifact-type",
      "application/vnd.example.signature",
      "--subject",
      `${host}/ret/app:signed`,
      "-o",
      "json",
    ],
    { env: userEnv() },
  );
  const referrer = JSON.parse(pushed.stdout).digest as string;
  const orphan = await emulator.seedImage({ repository: "ret/app", layers: [new TextEncoder().encode("orphan")] });
  const locked = await emulator.seedImage({ repository: "ret/app", layers: [new TextEncoder().encode("locked")] });
  emulator.setAttributes({ repository: "ret/app", digest: locked.digest }, { deleteEnabled: false });
  fixture = {
    index: index.digest,
    children,
    subject: subject.digest,
    referrer,
    orphan: orphan.digest,
    locked: locked.digest,
  };
});
afterEach(() => registry.close());

const digests = (list: Array<{ digest: string }>) => list.map((m) => m.digest).sort();
const deletes = (from: number) =>
  registry.emulator.requests
    .slice(from)
    .filter((r) => r.method === "DELETE" && r.status < 300)
    .map((r) => r.path.split("/manifests/")[1]!)
    .sort();

describe("acrkit purge --untagged", () => {
  test("the dry run is the real run's plan; index children, a live subject's referrer and a locked manifest stay", async () => {
    const args = ["purge", host, "--filter", "ret/app:.*", "--untagged", "-o", "json"];
    const dry = await runCli([...args, "--dry-run"], { env: userEnv() });
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(digests(plan.deleted)).toEqual([fixture.orphan]);
    expect(digests(plan.skippedLocked)).toEqual([fixture.locked]);
    expect(digests(plan.protected)).toEqual([fixture.referrer]);
    for (const child of fixture.children) expect(digests(plan.deleted)).not.toContain(child);

    const from = registry.emulator.requests.length;
    const real = await runCli(args, { env: userEnv() });
    expect(real.code).toBe(0);
    const done = JSON.parse(real.stdout);
    expect({ ...done, dryRun: true }).toEqual(plan);
    expect(deletes(from)).toEqual(digests(plan.deleted));
    for (const kept of [fixture.index, ...fixture.children, fixture.subject, fixture.referrer, fixture.locked]) {
      expect((await runCli(["exists", `${host}/ret/app@${kept}`], { env: userEnv() })).code).toBe(0);
    }
  });

  test("--include-locked deletes the locked manifest too, in the dry run and the real run alike", async () => {
    const args = ["purge", host, "--filter", "ret/app:.*", "--untagged", "--include-locked", "-o", "json"];
    const plan = JSON.parse((await runCli([...args, "--dry-run"], { env: userEnv() })).stdout);
    expect(digests(plan.deleted)).toEqual([fixture.orphan, fixture.locked].sort());
    const from = registry.emulator.requests.length;
    const real = await runCli(args, { env: userEnv() });
    expect(real.code, real.stdout).toBe(0);
    expect(deletes(from)).toEqual(digests(plan.deleted));
  });

  test("a real run on a terminal asks, and deletes nothing when the answer is no; refuses a purge without a rule", async () => {
    const from = registry.emulator.requests.length;
    const asked = await runCli(["purge", host, "--filter", "ret/app:.*", "--untagged"], {
      env: userEnv(),
      tty: true,
      confirm: false,
    });
    expect(asked.code).toBe(0);
    expect(deletes(from)).toEqual([]);
    const none = await runCli(["purge", host, "--filter", "ret/app:.*"], { env: userEnv() });
    expect(none.code).toBe(2);
  });
});
