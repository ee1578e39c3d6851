/**
 * purge against the emulator (its /acr/v1 timestamps and locks, a controlled clock) and docker-registry 2.8.2 (no
 * /acr/v1: refused before any delete).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerRegistryClient,
  UnsupportedOperationError,
  purge,
  type PurgedManifest,
  type PurgeOptions,
} from "../../../../src/index";
import { createEmulator, type Emulator } from "../../../../src/emulator/index";
import { startDockerRegistry, type RunningDockerRegistry } from "../../../support/docker-registry";

const DAY = 86_400_000;
/** The seeded history starts 30 days ago by the real clock, which purge counts ages from. */
const START = Date.now() - 30 * DAY;
/** The age of a manifest pushed `days` after START, now. */
const ageOf = (days: number) => Date.now() - (START + days * DAY);

/** The registry of each test: app has v0 (oldest) … v5 (newest), two untagged images, a tagged index and a locked image. */
interface Scenario {
  emulator: Emulator;
  client: ContainerRegistryClient;
  now: number;
  /** Digests by name: v0…v5, dangling0, dangling1, index, locked, tagLocked, other0, other1. */
  digests: Record<string, string>;
  /** Every request the client sent, and the most DELETEs in flight at once. */
  requests: Array<{ method: string; path: string }>;
  maxParallelDeletes: number;
}

async function scenario(): Promise<Scenario> {
  let now = START;
  const emulator = createEmulator({ authRequired: false, clock: () => now });
  const digests: Record<string, string> = {};
  const step = () => (now += DAY);
  digests.dangling0 = (await emulator.seedImage({ repository: "purge/app", layers: 1 })).digest;
  step();
  digests.locked = (await emulator.seedImage({ repository: "purge/app", tags: ["locked"] })).digest;
  emulator.setAttributes({ repository: "purge/app", digest: digests.locked }, { deleteEnabled: false });
  step();
  digests.tagLocked = (await emulator.seedImage({ repository: "purge/app", tags: ["release"] })).digest;
  emulator.setAttributes({ repository: "purge/app", tag: "release" }, { deleteEnabled: false });
  step();
  digests.index = (await emulator.seedIndex({ repository: "purge/app", tags: ["multi"] })).digest;
  step();
  digests.dangling1 = (await emulator.seedImage({ repository: "purge/app", layers: 2 })).digest;
  for (let version = 0; version < 6; version++) {
    step();
    digests[`v${version}`] = (
      await emulator.seedImage({
        repository: "purge/app",
        tags: [`v${version}`],
        layers: [new TextEncoder().encode(`v${version}`)],
      })
    ).digest;
  }
  step();
  digests.other0 = (await emulator.seedImage({ repository: "purge/other", tags: ["a"] })).digest;
  step();
  digests.other1 = (await emulator.seedImage({ repository: "purge/other", tags: ["b"] })).digest;
  step();
  const result: Scenario = { emulator, client: undefined as never, now, digests, requests: [], maxParallelDeletes: 0 };
  let inFlight = 0;
  result.client = new ContainerRegistryClient("http://127.0.0.1:5999", undefined, {
    fetch: async (request) => {
      const url = new URL(request.url);
      result.requests.push({ method: request.method, path: url.pathname });
      if (request.method !== "DELETE") return emulator.fetch(request);
      result.maxParallelDeletes = Math.max(result.maxParallelDeletes, ++inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return await emulator.fetch(request);
      } finally {
        inFlight--;
      }
    },
  });
  return result;
}

const digestsOf = (manifests: PurgedManifest[]) => manifests.map((manifest) => manifest.digest).sort();
const sorted = (...values: string[]) => [...values].sort();
/** The scenario's names of manifests (`platform` for an index's images), sorted: comparable across scenarios. */
const namesOf = (s: Scenario, manifests: PurgedManifest[]) =>
  manifests
    .map((manifest) => Object.entries(s.digests).find(([, digest]) => digest === manifest.digest)?.[0] ?? "platform")
    .sort();

async function present(s: Scenario, name: string): Promise<boolean> {
  return s.client.manifestExists(name.startsWith("other") ? "purge/other" : "purge/app", s.digests[name]!);
}

describe("purge on the emulator", () => {
  it("deletes manifests older than an age, with their tags, and never a locked one", async () => {
    const s = await scenario();
    // Pushed in the first five days: dangling0, locked, tagLocked, index (with its platforms), dangling1.
    const result = await purge(s.client, { repositories: ["purge/app"], olderThan: ageOf(4.5) });
    const d = s.digests;
    const deleted = digestsOf(result.deleted);
    expect(deleted).toEqual(expect.arrayContaining(sorted(d.dangling0!, d.index!, d.dangling1!)));
    expect(deleted).not.toContain(d.v0);
    expect(digestsOf(result.skippedLocked)).toEqual(sorted(d.locked!, d.tagLocked!));
    expect(result.deleted.find((manifest) => manifest.digest === d.index)?.tags).toEqual(["multi"]);
    for (const name of ["dangling0", "index", "dangling1"]) expect(await present(s, name)).toBe(false);
    for (const name of ["locked", "tagLocked", "v0", "v5"]) expect(await present(s, name)).toBe(true);
    // The locks were neither changed nor worked around.
    expect((await s.client.getManifestProperties("purge/app", d.locked!)).canDelete).toBe(false);
    expect((await s.client.getTagProperties("purge/app", "release")).canDelete).toBe(false);
    expect(result.deleted.length + result.kept.length + result.skippedLocked.length).toBe(
      (await collectDigests(s, "purge/app")).length + result.deleted.length,
    );
  });

  it("takes olderThan as a Date too, with the same outcome as the age", async () => {
    const [byAge, byDate] = await Promise.all([scenario(), scenario()]);
    const age = await purge(byAge.client, { olderThan: ageOf(7.5), dryRun: true });
    const date = await purge(byDate.client, { olderThan: new Date(START + 7.5 * DAY), dryRun: true });
    expect(namesOf(byDate, date.deleted)).toEqual(namesOf(byAge, age.deleted));
    expect(digestsOf(date.deleted)).toContain(byDate.digests.v2);
    expect(digestsOf(date.deleted)).not.toContain(byDate.digests.v3);
  });

  it("keeps the newest N of every repository", async () => {
    const s = await scenario();
    const result = await purge(s.client, { keep: 2 });
    const d = s.digests;
    expect(digestsOf(result.kept)).toEqual(expect.arrayContaining(sorted(d.v4!, d.v5!, d.other0!, d.other1!)));
    expect(digestsOf(result.deleted)).toEqual(expect.arrayContaining(sorted(d.v0!, d.v3!, d.dangling0!, d.index!)));
    for (const name of ["v4", "v5", "other0", "other1", "locked", "tagLocked"])
      expect(await present(s, name)).toBe(true);
    for (const name of ["v0", "v3", "dangling1"]) expect(await present(s, name)).toBe(false);
  });

  it("counts an index with its platform images as one image for keep, and deletes them together", async () => {
    const s = await scenario();
    const index = await s.client.getManifest("purge/app", "multi");
    const platforms = (index.manifest.manifests as Array<{ digest: string }>).map((entry) => entry.digest);
    // Newest first: v5 … v0, dangling1, index (with its two platforms), tagLocked, locked, dangling0.
    const keepThroughIndex = await purge(s.client, { keep: 8, dryRun: true });
    expect(digestsOf(keepThroughIndex.kept)).toEqual(expect.arrayContaining([s.digests.index!, ...platforms]));
    expect(digestsOf(keepThroughIndex.deleted)).toEqual([s.digests.dangling0]);
    const keepBeforeIndex = await purge(s.client, { keep: 7 });
    expect(digestsOf(keepBeforeIndex.deleted)).toEqual(sorted(s.digests.index!, ...platforms, s.digests.dangling0!));
    for (const platform of platforms) expect(await s.client.manifestExists("purge/app", platform)).toBe(false);
  });

  it("with untagged, deletes only manifests without tags, and keeps the platforms of a kept index", async () => {
    const s = await scenario();
    const index = await s.client.getManifest("purge/app", "multi");
    const platforms = (index.manifest.manifests as Array<{ digest: string }>).map((entry) => entry.digest);
    const result = await purge(s.client, { untagged: true });
    expect(digestsOf(result.deleted)).toEqual(sorted(s.digests.dangling0!, s.digests.dangling1!));
    expect(digestsOf(result.kept)).toEqual(expect.arrayContaining(platforms));
    for (const platform of platforms) expect(await s.client.manifestExists("purge/app", platform)).toBe(true);
    expect(await present(s, "dangling0")).toBe(false);
  });

  it("cleans only the repositories named, or those a filter picks", async () => {
    const named = await scenario();
    const byName = await purge(named.client, { repositories: ["purge/other"], keep: 1 });
    expect(digestsOf(byName.deleted)).toEqual([named.digests.other0]);
    expect(new Set([...byName.kept, ...byName.deleted].map((manifest) => manifest.repository))).toEqual(
      new Set(["purge/other"]),
    );

    const filtered = await scenario();
    const byFilter = await purge(filtered.client, { repositories: (name) => name.endsWith("/other"), keep: 1 });
    expect(digestsOf(byFilter.deleted)).toEqual([filtered.digests.other0]);
    expect(await present(filtered, "v0")).toBe(true);
  });

  it("in a dry run reports what it would delete and sends no DELETE", async () => {
    const [dry, real] = await Promise.all([scenario(), scenario()]);
    const options: PurgeOptions = { olderThan: ageOf(8.5), keep: 3 };
    const preview = await purge(dry.client, { ...options, dryRun: true });
    expect(preview.deleted.length).toBeGreaterThan(0);
    expect(dry.requests.filter((request) => request.method === "DELETE")).toEqual([]);
    for (const manifest of preview.deleted)
      expect(await dry.client.manifestExists(manifest.repository, manifest.digest)).toBe(true);
    const done = await purge(real.client, options);
    expect(namesOf(real, done.deleted)).toEqual(namesOf(dry, preview.deleted));
  });

  it("never deletes from a repository locked as a whole (canDelete: false on the repository), nor unlocks it", async () => {
    const s = await scenario();
    s.emulator.setAttributes({ repository: "purge/other" }, { deleteEnabled: false });
    const result = await purge(s.client, { olderThan: 0 });
    expect(digestsOf(result.skippedLocked)).toEqual(
      expect.arrayContaining(sorted(s.digests.other0!, s.digests.other1!)),
    );
    expect(result.deleted.filter((manifest) => manifest.repository === "purge/other")).toEqual([]);
    // Only the other repository lost manifests: the lock, not an empty plan, saved purge/other.
    expect(result.deleted.length).toBeGreaterThan(0);
    expect(s.requests.filter((request) => request.method !== "GET" && request.path.includes("purge/other"))).toEqual(
      [],
    );
    for (const name of ["other0", "other1"]) expect(await present(s, name)).toBe(true);
    expect((await s.client.getRepositoryProperties("purge/other")).canDelete).toBe(false);
  });

  it("reads every repository (manifests, repository and tag locks) before the first delete", async () => {
    const s = await scenario();
    await purge(s.client, { keep: 1 });
    const firstDelete = s.requests.findIndex((request) => request.method === "DELETE");
    expect(firstDelete).toBeGreaterThan(0);
    const reads = s.requests
      .map((request, index) => ({ ...request, index }))
      .filter((request) => request.method === "GET");
    // Both repositories were read, and no read came after a delete had begun.
    for (const repository of ["purge%2Fapp|purge/app", "purge%2Fother|purge/other"]) {
      expect(
        reads.some((request) => new RegExp(repository).test(request.path)),
        repository,
      ).toBe(true);
    }
    expect(reads.filter((request) => request.index > firstDelete).map((request) => request.path)).toEqual([]);
  });

  it("runs at most `concurrency` deletes at once", async () => {
    const [one, three] = await Promise.all([scenario(), scenario()]);
    await purge(one.client, { keep: 1, concurrency: 1 });
    await purge(three.client, { keep: 1, concurrency: 3 });
    expect(one.maxParallelDeletes).toBe(1);
    expect(three.maxParallelDeletes).toBeGreaterThan(1);
    expect(three.maxParallelDeletes).toBeLessThanOrEqual(3);
  });

  it.each([
    [{}, /at least one of olderThan, keep or untagged/],
    [{ keep: -1 }, /keep must be a non-negative integer, got -1/],
    [{ keep: 1.5 }, /keep must be/],
    [{ olderThan: -5 }, /olderThan must be/],
    [{ olderThan: new Date("nope") }, /invalid Date/],
    [{ keep: 1, untagged: "yes" }, /untagged must be a boolean/],
    [{ keep: 1, dryRun: 1 }, /dryRun must be a boolean/],
    [{ keep: 1, concurrency: 0 }, /concurrency must be a positive integer/],
    [{ keep: 1, repositories: ["Bad Name"] }, /Invalid repository name/],
    [{ keep: 1, repositories: "purge/app" }, /repositories must be/],
  ])("refuses %o before any request", async (options, message) => {
    const s = await scenario();
    await expect(purge(s.client, options as PurgeOptions)).rejects.toThrow(message);
    expect(s.requests).toEqual([]);
  });
});

async function collectDigests(s: Scenario, repository: string): Promise<string[]> {
  const digests: string[] = [];
  for await (const manifest of s.client.listManifestProperties(repository)) digests.push(manifest.digest);
  return digests;
}

describe("purge on docker-registry 2.8.2", () => {
  let registry: RunningDockerRegistry;
  beforeAll(async () => {
    registry = await startDockerRegistry();
  });
  afterAll(() => registry?.stop());

  it("refuses with UnsupportedOperationError and deletes nothing", async () => {
    const client = new ContainerRegistryClient(registry.url);
    const config = await client.uploadBlob("purge/app", "{}");
    const digest = await client.setManifest(
      "purge/app",
      {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.empty.v1+json", digest: config.digest, size: 2 },
        layers: [],
      },
      { tag: "v1" },
    );
    const error = await purge(client, { keep: 0 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as UnsupportedOperationError).operation).toBe("purge");
    expect(await client.manifestExists("purge/app", digest)).toBe(true);
  });
});
