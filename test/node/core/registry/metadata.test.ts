import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArtifactManifestOrder, ArtifactTagOrder, RegistryError } from "../../../../src/index";
import { ADMIN, CREDENTIAL_KINDS, clientFor } from "../../../support/clients";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

let registry: StartedEmulator;

beforeAll(async () => {
  registry = await startEmulator({ users: { [ADMIN.username]: ADMIN.password }, anonymousPull: true });
  await registry.emulator.seedRepositories(7, { prefix: "paging/repo" });
  await registry.emulator.seedImage({ repository: "team/app", tags: ["v1"], architecture: "arm64", os: "linux" });
  await registry.emulator.seedImage({
    repository: "team/app",
    tags: ["v2", "stable"],
    architecture: "amd64",
    os: "windows",
  });
  await registry.emulator.seedImage({ repository: "team/app", tags: ["v3"], architecture: "riscv128", os: "zos" });
  await registry.emulator.seedIndex({ repository: "team/multi", tags: ["latest"] });
});
afterAll(() => registry.close());

describe.each([...CREDENTIAL_KINDS, "anonymous"] as const)("metadata reads with a %s credential", (kind) => {
  it("lists repositories item by item and across at least three pages", async () => {
    const { client } = clientFor(registry.url, kind);
    const names: string[] = [];
    for await (const name of client.listRepositoryNames()) names.push(name);
    expect(names).toEqual(expect.arrayContaining(["team/app", "team/multi", "paging/repo000", "paging/repo006"]));

    const pages: string[][] = [];
    for await (const page of client.listRepositoryNames().byPage({ maxPageSize: 3 })) pages.push([...page]);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    expect(pages.flat()).toEqual(names);
  });

  it("resumes listing from a page's continuation token", async () => {
    const { client } = clientFor(registry.url, kind);
    const first = await client.listRepositoryNames().byPage({ maxPageSize: 2 }).next();
    const token = (first.value as string[] & { continuationToken?: string }).continuationToken;
    expect(token).toBeDefined();
    const rest = await client.listRepositoryNames().byPage({ continuationToken: token, maxPageSize: 2 }).next();
    expect((rest.value as string[])[0]! > (first.value as string[])[1]!).toBe(true);
  });

  it("gets repository, tag and manifest properties with the models' names and types", async () => {
    const { client } = clientFor(registry.url, kind);
    const repository = await client.getRepositoryProperties("team/app");
    expect(repository).toMatchObject({
      name: "team/app",
      manifestCount: 3,
      tagCount: 4,
      canDelete: true,
      canWrite: true,
      canList: true,
      canRead: true,
    });
    expect(repository.registryLoginServer).toBe(registry.service);
    expect(repository.createdOn).toBeInstanceOf(Date);
    expect(Number.isNaN(repository.lastUpdatedOn.getTime())).toBe(false);

    const tag = await client.getTagProperties("team/app", "v1");
    expect(tag).toMatchObject({ name: "v1", repositoryName: "team/app", registryLoginServer: registry.service });
    expect(tag.digest).toMatch(/^sha256:[a-f0-9]{64}$/);

    const byTag = await client.getManifestProperties("team/app", "v1");
    const byDigest = await client.getManifestProperties("team/app", tag.digest!);
    expect(byTag).toEqual(byDigest);
    expect(byTag).toMatchObject({
      architecture: "arm64",
      operatingSystem: "linux",
      tags: ["v1"],
      repositoryName: "team/app",
    });
    expect(byTag.fullyQualifiedReference).toBe(`${registry.service}/team/app@${tag.digest}`);
    expect(byTag.sizeInBytes).toBeGreaterThan(0);
  });

  it("passes unknown architecture and OS strings through", async () => {
    const { client } = clientFor(registry.url, kind);
    expect(await client.getManifestProperties("team/app", "v3")).toMatchObject({
      architecture: "riscv128",
      operatingSystem: "zos",
    });
  });

  it("lists an index's platforms as related artifacts", async () => {
    const { client } = clientFor(registry.url, kind);
    const index = await client.getManifestProperties("team/multi", "latest");
    expect(index.architecture).toBeUndefined();
    expect(index.relatedArtifacts.map((a) => `${a.operatingSystem}/${a.architecture}`).sort()).toEqual([
      "linux/amd64",
      "linux/arm64",
    ]);
  });

  it("orders manifests and tags by last update, both ways", async () => {
    const { client } = clientFor(registry.url, kind);
    const newest: string[] = [];
    for await (const manifest of client.listManifestProperties("team/app", {
      orderBy: ArtifactManifestOrder.LastUpdatedOnDescending,
    }))
      newest.push(manifest.digest);
    const oldest: string[] = [];
    for await (const manifest of client.listManifestProperties("team/app", {
      orderBy: ArtifactManifestOrder.LastUpdatedOnAscending,
    }))
      oldest.push(manifest.digest);
    expect(newest).toHaveLength(3);
    expect(oldest).toEqual([...newest].reverse());

    const tags: string[] = [];
    for await (const tag of client.listTagProperties("team/app", { orderBy: ArtifactTagOrder.LastUpdatedOnAscending }))
      tags.push(tag.name);
    expect(tags[0]).toBe("v1");
    expect(tags.at(-1)).toBe("v3");
  });

  it("filters tags by digest and pages them", async () => {
    const { client } = clientFor(registry.url, kind);
    const { digest } = await client.getTagProperties("team/app", "v2");
    const tags: string[] = [];
    for await (const tag of client.listTagProperties("team/app", { digest })) tags.push(tag.name);
    expect(tags.sort()).toEqual(["stable", "v2"]);
    const pages: number[] = [];
    for await (const page of client.listTagProperties("team/app").byPage({ maxPageSize: 1 })) pages.push(page.length);
    expect(pages).toEqual([1, 1, 1, 1]);
  });
});

describe.each(CREDENTIAL_KINDS)("metadata writes with a %s credential", (kind) => {
  it("updates repository, manifest and tag flags and returns the new state", async () => {
    await registry.emulator.seedImage({ repository: `writes/${kind}`, tags: ["a"] });
    const { client } = clientFor(registry.url, kind);
    expect(await client.updateRepositoryProperties(`writes/${kind}`, { canList: false })).toMatchObject({
      canList: false,
      canDelete: true,
    });
    expect(
      await client.updateManifestProperties(`writes/${kind}`, "a", { canWrite: false, canDelete: false }),
    ).toMatchObject({ canWrite: false, canDelete: false, canRead: true });
    expect(await client.updateTagProperties(`writes/${kind}`, "a", { canRead: false })).toMatchObject({
      canRead: false,
      canWrite: true,
    });
    expect(await client.getTagProperties(`writes/${kind}`, "a")).toMatchObject({ canRead: false });
  });

  it("deletes tags and repositories, and missing ones resolve without error", async () => {
    await registry.emulator.seedImage({ repository: `deletes/${kind}`, tags: ["a", "b"] });
    const { client } = clientFor(registry.url, kind);
    await client.deleteTag(`deletes/${kind}`, "a");
    await client.deleteTag(`deletes/${kind}`, "a");
    await expect(client.getTagProperties(`deletes/${kind}`, "a")).rejects.toMatchObject({ statusCode: 404 });
    await client.deleteRepository(`deletes/${kind}`);
    await client.deleteRepository(`deletes/${kind}`);
    await expect(client.getRepositoryProperties(`deletes/${kind}`)).rejects.toBeInstanceOf(RegistryError);
  });
});

describe("changeableAttributes rules seen through the client", () => {
  it("canDelete=false blocks deletes, canList=false hides, canRead=false blocks pulls, canWrite=false blocks tag moves", async () => {
    const image = await registry.emulator.seedImage({ repository: "rules/app", tags: ["locked", "hidden", "private"] });
    const other = await registry.emulator.seedImage({ repository: "rules/app", tags: ["other"] });
    const { client } = clientFor(registry.url, "basic");

    await client.updateTagProperties("rules/app", "locked", { canDelete: false, canWrite: false });
    const denied = await client.deleteTag("rules/app", "locked").catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(RegistryError);
    expect(denied).toMatchObject({ statusCode: 405, code: "DENIED", method: "DELETE" });
    await expect(
      client.setManifest("rules/app", (await client.getManifest("rules/app", other.digest)).bytes, { tag: "locked" }),
    ).rejects.toMatchObject({
      statusCode: 405,
    });

    await client.updateTagProperties("rules/app", "hidden", { canList: false });
    const names: string[] = [];
    for await (const tag of client.listTagProperties("rules/app")) names.push(tag.name);
    expect(names).not.toContain("hidden");
    expect(names).toContain("locked");

    await client.updateManifestProperties("rules/app", image.digest, { canRead: false });
    await expect(client.getManifest("rules/app", image.digest)).rejects.toMatchObject({
      statusCode: 405,
      code: "DENIED",
    });
  });

  it("anonymous clients can read but not write", async () => {
    const { client } = clientFor(registry.url, "anonymous");
    await expect(client.updateRepositoryProperties("team/app", { canDelete: false })).rejects.toMatchObject({
      statusCode: 401,
    });
    await expect(client.deleteTag("team/app", "v1")).rejects.toMatchObject({ statusCode: 401 });
    expect((await client.getTagProperties("team/app", "v1")).name).toBe("v1");
  });
});
