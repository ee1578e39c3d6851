/**
 * Listing and deleteTag on a registry without /acr/v1 (docker-registry 2.8.2, the real one) and on the emulator (with
 * its /acr/v1, and with /acr/v1 hidden so that the /v2 fallback meets a registry that pages tags itself).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerRegistryClient,
  UnsupportedOperationError,
  type ArtifactTagProperties,
  type ContainerRegistryClientOptions,
  type RequestLogEntry,
} from "../../../../src/index";
import { ADMIN, clientFor } from "../../../support/clients";
import { startDockerRegistry, type RunningDockerRegistry } from "../../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

const REPOSITORIES = ["any/r0", "any/r1", "any/r2", "any/r3", "any/r4"];
const TAG_REPOSITORY = "any/tags";
const TAGS = ["a1", "b2", "c3", "d4", "e5", "f6", "g7"];

/** Pushes a tiny artifact under each tag with acrkit itself; returns the manifest digest of each tag. */
async function pushTagged(
  client: ContainerRegistryClient,
  repository: string,
  tags: string[],
): Promise<Map<string, string>> {
  const config = await client.uploadBlob(repository, "{}");
  const digests = new Map<string, string>();
  for (const tag of tags) {
    const layer = await client.uploadBlob(repository, `content of ${repository}:${tag}\n`);
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/vnd.acrkit.test",
      config: { mediaType: "application/vnd.oci.empty.v1+json", digest: config.digest, size: config.size },
      layers: [{ mediaType: "text/plain", digest: layer.digest, size: layer.size }],
    };
    digests.set(tag, await client.setManifest(repository, manifest, { tag }));
  }
  return digests;
}

/** Hides /acr/v1 the way docker-registry does: a plain-text 404 from the router. */
const withoutAcrApi: ContainerRegistryClientOptions["fetch"] = async (request) =>
  new URL(request.url).pathname.startsWith("/acr/v1/")
    ? new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain" } })
    : fetch(request);

interface Target {
  name: string;
  hasAcrApi: boolean;
  deletesTags: boolean;
  client(options?: ContainerRegistryClientOptions): { client: ContainerRegistryClient; log: RequestLogEntry[] };
}

let dockerRegistry: RunningDockerRegistry;
let emulator: StartedEmulator;
let hiddenEmulator: StartedEmulator;
const digests = new Map<string, Map<string, string>>();

const targets: Target[] = [
  {
    name: "docker-registry 2.8.2",
    hasAcrApi: false,
    deletesTags: false,
    client: (options) => clientFor(dockerRegistry.url, "anonymous", options),
  },
  {
    name: "the emulator",
    hasAcrApi: true,
    deletesTags: true,
    client: (options) => clientFor(emulator.url, "basic", options),
  },
  {
    name: "the emulator with /acr/v1 hidden",
    hasAcrApi: false,
    deletesTags: true,
    client: (options) => clientFor(hiddenEmulator.url, "basic", { fetch: withoutAcrApi, ...options }),
  },
];

beforeAll(async () => {
  const users = { [ADMIN.username]: ADMIN.password };
  [dockerRegistry, emulator, hiddenEmulator] = await Promise.all([
    startDockerRegistry(),
    startEmulator({ users }),
    startEmulator({ users }),
  ]);
  for (const target of targets) {
    const { client } = target.client();
    for (const repository of REPOSITORIES) await pushTagged(client, repository, ["only"]);
    digests.set(target.name, await pushTagged(client, TAG_REPOSITORY, TAGS));
  }
});
afterAll(async () => {
  await Promise.all([dockerRegistry?.stop(), emulator?.close(), hiddenEmulator?.close()]);
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

async function pagesOf<T>(pages: AsyncIterable<T[] & { continuationToken?: string }>): Promise<T[][]> {
  const result: T[][] = [];
  for await (const page of pages) result.push([...page]);
  return result;
}

describe.each(targets)("listing and deleteTag on $name", (target) => {
  it("lists repository names in pages of the size asked for, and all of them item by item", async () => {
    const { client } = target.client();
    const names = await collect(client.listRepositoryNames());
    expect(names).toEqual(expect.arrayContaining([...REPOSITORIES, TAG_REPOSITORY]));
    const pages = await pagesOf(client.listRepositoryNames().byPage({ maxPageSize: 2 }));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat()).toEqual(names);
  });

  it("resumes a repository listing from a continuation token, in a new iterator", async () => {
    const { client } = target.client();
    const first = (await client.listRepositoryNames().byPage({ maxPageSize: 2 }).next()).value as string[] & {
      continuationToken?: string;
    };
    expect(first.continuationToken).toBeDefined();
    const rest = await pagesOf(
      client.listRepositoryNames().byPage({ maxPageSize: 2, continuationToken: first.continuationToken }),
    );
    expect([...first, ...rest.flat()]).toEqual(await collect(client.listRepositoryNames()));
  });

  it("lists tags in pages of three, in name order, resumable from a token", async () => {
    const { client } = target.client();
    const pages = await pagesOf(client.listTagProperties(TAG_REPOSITORY).byPage({ maxPageSize: 3 }));
    expect(pages.map((page) => page.map((tag) => tag.name))).toEqual([["a1", "b2", "c3"], ["d4", "e5", "f6"], ["g7"]]);

    const first = (await client.listTagProperties(TAG_REPOSITORY).byPage({ maxPageSize: 3 }).next())
      .value as ArtifactTagProperties[] & { continuationToken?: string };
    const resumed = await pagesOf(
      client.listTagProperties(TAG_REPOSITORY).byPage({ maxPageSize: 3, continuationToken: first.continuationToken }),
    );
    expect(resumed.flat().map((tag) => tag.name)).toEqual(TAGS.slice(3));
  });

  it("gives the fields the registry knows, and digests when asked for", async () => {
    const { client } = target.client();
    const expected = digests.get(target.name)!;
    const [plain] = await collect(client.listTagProperties(TAG_REPOSITORY));
    expect(plain).toMatchObject({ name: "a1", repositoryName: TAG_REPOSITORY });
    if (target.hasAcrApi) {
      expect(plain!.digest).toBe(expected.get("a1"));
      expect(plain!.createdOn).toBeInstanceOf(Date);
      expect(plain!.canDelete).toBe(true);
    } else {
      expect(plain).toMatchObject({
        digest: undefined,
        createdOn: undefined,
        lastUpdatedOn: undefined,
        canDelete: undefined,
        canWrite: undefined,
      });
    }
    const withDigests = await collect(client.listTagProperties(TAG_REPOSITORY, { includeDigests: true }));
    expect(new Map(withDigests.map((tag) => [tag.name, tag.digest]))).toEqual(expected);
    const onlyOne = await collect(client.listTagProperties(TAG_REPOSITORY, { digest: expected.get("c3")! }));
    expect(onlyOne.map((tag) => tag.name)).toEqual(["c3"]);
  });

  it.each([1, 3])(
    "with includeDigests, sends one HEAD per tag, at most `concurrency` (%i) at once",
    async (concurrency) => {
      let inFlight = 0;
      let most = 0;
      const heads: string[] = [];
      const base = target.hasAcrApi ? undefined : target.name.includes("hidden") ? withoutAcrApi : undefined;
      const counting: ContainerRegistryClientOptions["fetch"] = async (request) => {
        if (request.method !== "HEAD") return (base ?? fetch)(request);
        heads.push(new URL(request.url).pathname);
        most = Math.max(most, ++inFlight);
        try {
          // Long enough for the other HEADs to start, if the limit let them.
          await new Promise((resolve) => setTimeout(resolve, 30));
          return await (base ?? fetch)(request);
        } finally {
          inFlight--;
        }
      };
      const { client } = target.client({ fetch: counting, concurrency });
      const tags = await collect(client.listTagProperties(TAG_REPOSITORY, { includeDigests: true }));
      expect(new Map(tags.map((tag) => [tag.name, tag.digest]))).toEqual(digests.get(target.name));
      if (target.hasAcrApi) {
        // /acr/v1 lists digests itself: no HEAD at all.
        expect(heads).toEqual([]);
        return;
      }
      expect(heads.filter((path) => path.includes("/manifests/")).length).toBe(TAGS.length);
      expect(most).toBe(concurrency);
    },
  );

  it("decides once per client whether /acr/v1 exists", async () => {
    const { client, log } = target.client();
    await collect(client.listRepositoryNames());
    await collect(client.listTagProperties(TAG_REPOSITORY));
    await collect(client.listRepositoryNames());
    const paths = log.filter((entry) => entry.status !== 401).map((entry) => new URL(entry.url).pathname);
    const acrRequests = paths.filter((path) => path.startsWith("/acr/v1/"));
    const ociListings = paths.filter((path) => path === "/v2/_catalog" || path.endsWith("/tags/list"));
    expect(acrRequests.length).toBe(target.hasAcrApi ? 3 : 1);
    expect(ociListings.length).toBe(target.hasAcrApi ? 0 : 3);
  });

  it("refuses ACR-only operations with UnsupportedOperationError where there is no /acr/v1", async () => {
    const { client } = target.client();
    if (target.hasAcrApi) {
      expect((await client.getRepositoryProperties(TAG_REPOSITORY)).name).toBe(TAG_REPOSITORY);
      return;
    }
    const error = await client.getRepositoryProperties(TAG_REPOSITORY).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toMatchObject({ operation: "getRepositoryProperties", registry: new URL(client.endpoint).host });
    await expect(collect(client.listManifestProperties(TAG_REPOSITORY))).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
    await expect(client.deleteRepository(TAG_REPOSITORY)).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(client.updateTagProperties(TAG_REPOSITORY, "a1", { canWrite: false })).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
  });

  it("deletes a tag and keeps its manifest, or says the registry cannot", async () => {
    const { client } = target.client();
    const tag = "g7";
    const digest = digests.get(target.name)!.get(tag)!;
    if (!target.deletesTags) {
      const error = await client.deleteTag(TAG_REPOSITORY, tag).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as UnsupportedOperationError).message).toContain("deleteManifest");
      expect(await client.manifestExists(TAG_REPOSITORY, tag)).toBe(true);
      return;
    }
    await client.deleteTag(TAG_REPOSITORY, tag);
    expect(await client.manifestExists(TAG_REPOSITORY, tag)).toBe(false);
    expect(await client.manifestExists(TAG_REPOSITORY, digest)).toBe(true);
    // A tag that is not there is no error, on either API.
    await client.deleteTag(TAG_REPOSITORY, tag);
  });
});
