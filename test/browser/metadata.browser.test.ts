/**
 * Every /acr/v1 method of the client, run in Chromium against the emulator over HTTP with CORS.
 */
import { describe, expect, it } from "vitest";
import { ArtifactManifestOrder, ArtifactTagOrder, ContainerRegistryClient, RegistryError } from "../../src/index";
import { adminClient, servers } from "./support/in-browser";

const { emulator, seeded } = servers();
const meta = seeded.metadataRepository;

describe("listing and paging in the browser", () => {
  it("lists repository names item by item and page by page", async () => {
    const client = adminClient(emulator);
    const all: string[] = [];
    for await (const name of client.listRepositoryNames()) all.push(name);
    expect(all).toEqual(expect.arrayContaining([...seeded.pagingRepositories, meta.name]));

    const pages: string[][] = [];
    const tokens: Array<string | undefined> = [];
    for await (const page of client.listRepositoryNames().byPage({ maxPageSize: 3 })) {
      pages.push([...page]);
      tokens.push(page.continuationToken);
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((page) => page.length <= 3)).toBe(true);
    expect(pages.flat()).toEqual(all);
    expect(tokens.at(-1)).toBeUndefined();
    expect(tokens.slice(0, -1).every((token) => typeof token === "string")).toBe(true);

    // A page can be resumed from its continuation token, as a "load more" button does.
    const resumed = await client.listRepositoryNames().byPage({ maxPageSize: 3, continuationToken: tokens[0] }).next();
    expect([...(resumed.value ?? [])]).toEqual(pages[1]);
  });

  it("lists anonymously where the registry allows anonymous pull", async () => {
    const anonymous = new ContainerRegistryClient(emulator);
    const first = await anonymous.listRepositoryNames().byPage({ maxPageSize: 2 }).next();
    expect(first.value).toHaveLength(2);
    await expect(anonymous.updateRepositoryProperties(meta.name, { canList: false })).rejects.toBeInstanceOf(Error);
    expect((await adminClient(emulator).getRepositoryProperties(meta.name)).canList).toBe(true);
  });

  it("lists manifests with their properties, ordered and paged", async () => {
    const client = adminClient(emulator);
    const manifests = [];
    for await (const manifest of client.listManifestProperties(meta.name, {
      orderBy: ArtifactManifestOrder.LastUpdatedOnDescending,
    })) {
      manifests.push(manifest);
    }
    expect(manifests.map((manifest) => manifest.digest)).toEqual([meta.amd64, meta.arm64]);
    const [amd64, arm64] = manifests;
    expect(arm64).toMatchObject({
      repositoryName: meta.name,
      architecture: "arm64",
      operatingSystem: "linux",
      canDelete: true,
    });
    expect([...arm64!.tags].sort()).toEqual(["v1", "v2", "v3"]);
    expect(amd64).toMatchObject({ architecture: "amd64", tags: ["old"] });
    expect(arm64!.sizeInBytes).toBeGreaterThan(0);
    expect(arm64!.createdOn).toBeInstanceOf(Date);

    const pages = [];
    for await (const page of client.listManifestProperties(meta.name).byPage({ maxPageSize: 1 })) pages.push(page);
    expect(pages.map((page) => page.length)).toEqual([1, 1]);
  });

  it("lists tags, ordered, paged and filtered by digest", async () => {
    const client = adminClient(emulator);
    const ascending = [];
    for await (const tag of client.listTagProperties(meta.name, { orderBy: ArtifactTagOrder.LastUpdatedOnAscending }))
      ascending.push(tag.name);
    expect([...ascending].sort()).toEqual(["old", "v1", "v2", "v3"]);

    const ofArm = [];
    for await (const tag of client.listTagProperties(meta.name, { digest: meta.arm64 })) ofArm.push(tag);
    expect(ofArm.map((tag) => tag.name).sort()).toEqual(["v1", "v2", "v3"]);
    expect(ofArm.every((tag) => tag.digest === meta.arm64 && tag.createdOn instanceof Date)).toBe(true);

    const pages = [];
    for await (const page of client.listTagProperties(meta.name).byPage({ maxPageSize: 3 })) pages.push(page.length);
    expect(pages).toEqual([3, 1]);
  });
});

describe("properties and updates in the browser", () => {
  it("gets and updates repository properties", async () => {
    const client = adminClient(emulator);
    const before = await client.getRepositoryProperties(meta.name);
    expect(before).toMatchObject({ name: meta.name, manifestCount: 2, tagCount: 4, canWrite: true });
    expect(before.lastUpdatedOn).toBeInstanceOf(Date);
    const locked = await client.updateRepositoryProperties(meta.name, { canWrite: false });
    expect(locked.canWrite).toBe(false);
    expect((await client.getRepositoryProperties(meta.name)).canWrite).toBe(false);
    expect((await client.updateRepositoryProperties(meta.name, { canWrite: true })).canWrite).toBe(true);
  });

  it("gets and updates manifest properties by tag and by digest", async () => {
    const client = adminClient(emulator);
    const byTag = await client.getManifestProperties(meta.name, "v2");
    expect(byTag.digest).toBe(meta.arm64);
    const updated = await client.updateManifestProperties(meta.name, meta.arm64, { canDelete: false, canWrite: false });
    expect(updated).toMatchObject({ digest: meta.arm64, canDelete: false, canWrite: false });
    const restored = await client.updateManifestProperties(meta.name, "v1", { canDelete: true, canWrite: true });
    expect(restored).toMatchObject({ canDelete: true, canWrite: true });
  });

  it("locks a tag against deletion, then deletes it once unlocked", async () => {
    const client = adminClient(emulator);
    expect(await client.getTagProperties(meta.name, "v3")).toMatchObject({
      name: "v3",
      digest: meta.arm64,
      canDelete: true,
    });
    expect((await client.updateTagProperties(meta.name, "v3", { canDelete: false })).canDelete).toBe(false);
    const refused = await client.deleteTag(meta.name, "v3").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RegistryError);
    expect((refused as RegistryError).statusCode).toBe(405);

    await client.updateTagProperties(meta.name, "v3", { canDelete: true });
    await client.deleteTag(meta.name, "v3");
    const missing = await client.getTagProperties(meta.name, "v3").catch((error: unknown) => error);
    expect((missing as RegistryError).statusCode).toBe(404);
    // A missing tag is not an error.
    await expect(client.deleteTag(meta.name, "v3")).resolves.toBeUndefined();
  });

  it("deletes a repository; deleting it again is not an error", async () => {
    const client = adminClient(emulator);
    expect((await client.getRepositoryProperties(seeded.doomedRepository)).tagCount).toBe(1);
    await client.deleteRepository(seeded.doomedRepository);
    const missing = await client.getRepositoryProperties(seeded.doomedRepository).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(RegistryError);
    expect((missing as RegistryError).statusCode).toBe(404);
    await expect(client.deleteRepository(seeded.doomedRepository)).resolves.toBeUndefined();
  });
});
