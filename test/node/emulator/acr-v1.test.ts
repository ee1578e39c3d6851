import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { basic, errorCode } from "./helpers";

const ACR_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
const ALL_ON = { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true };

let started: StartedEmulator;
let now: number;
const auth = { authorization: basic("admin", "secret") };

beforeEach(async () => {
  now = Date.parse("2030-01-01T00:00:00Z");
  started = await startEmulator({ users: { admin: "secret" }, clock: () => now });
});
afterEach(async () => started.close());

async function get(path: string) {
  const response = await fetch(`${started.url}${path}`, { headers: auth });
  return { status: response.status, link: response.headers.get("link"), body: (await response.json()) as any };
}

/** Follows Link headers from the first page, returning every page's items. */
async function allPages(path: string, pick: (body: any) => unknown[]) {
  const pages: unknown[][] = [];
  let next: string | undefined = path;
  while (next) {
    const page = await get(next);
    expect(page.status).toBe(200);
    pages.push(pick(page.body));
    next = page.link ? /^<([^>]+)>; rel="next"$/.exec(page.link)![1] : undefined;
  }
  return pages;
}

describe("/acr/v1 shapes", () => {
  it("serves a name with an encoded slash, as the Azure SDKs send it, like the literal one", async () => {
    await started.emulator.seedImage({ repository: "team/app", tags: ["v1"] });
    const literal = await get("/acr/v1/team/app/_tags");
    const encoded = await get("/acr/v1/team%2Fapp/_tags");
    expect(encoded.status).toBe(200);
    expect(encoded.body).toEqual(literal.body);
    expect((await fetch(`${started.url}/v2/team%2Fapp/tags/list`, { headers: auth })).status).toBe(200);
  });

  it("describes a repository with slashes in its name", async () => {
    await started.emulator.seedImage({ repository: "team/app", tags: ["v1", "v2"] });
    await started.emulator.seedImage({ repository: "team/app", tags: ["v3"] });
    const { status, body } = await get("/acr/v1/team/app?api-version=2021-07-01");
    expect(status).toBe(200);
    expect(body).toEqual({
      registry: started.service,
      imageName: "team/app",
      createdTime: expect.stringMatching(ACR_TIME),
      lastUpdateTime: expect.stringMatching(ACR_TIME),
      manifestCount: 2,
      tagCount: 3,
      changeableAttributes: ALL_ON,
    });
  });

  it("describes tags and image manifests with platform, config type and tags", async () => {
    const image = await started.emulator.seedImage({
      repository: "team/app",
      tags: ["v1"],
      architecture: "arm64",
      os: "linux",
    });
    const tag = await get("/acr/v1/team/app/_tags/v1");
    expect(tag.body).toEqual({
      registry: started.service,
      imageName: "team/app",
      tag: {
        name: "v1",
        digest: image.digest,
        createdTime: expect.stringMatching(ACR_TIME),
        lastUpdateTime: expect.stringMatching(ACR_TIME),
        signed: false,
        changeableAttributes: ALL_ON,
      },
    });
    const manifest = await get(`/acr/v1/team/app/_manifests/${image.digest}`);
    expect(manifest.body.manifest).toMatchObject({
      digest: image.digest,
      architecture: "arm64",
      os: "linux",
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      configMediaType: "application/vnd.oci.image.config.v1+json",
      tags: ["v1"],
      changeableAttributes: ALL_ON,
    });
    expect(manifest.body.manifest.imageSize).toBeGreaterThan(image.size);
    expect(manifest.body.manifest.references).toBeUndefined();
  });

  it("lists an index's references and omits its architecture and os", async () => {
    const index = await started.emulator.seedIndex({ repository: "multi", tags: ["latest"], mediaType: "docker" });
    const { body } = await get(`/acr/v1/multi/_manifests/${index.digest}`);
    expect(body.manifest.mediaType).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
    expect(body.manifest.architecture).toBeUndefined();
    expect(body.manifest.os).toBeUndefined();
    expect(body.manifest.references).toEqual([
      { digest: index.manifests[0]!.digest, architecture: "amd64", os: "linux" },
      { digest: index.manifests[1]!.digest, architecture: "arm64", os: "linux" },
    ]);
  });

  it("answers 404 with ACR codes for missing repositories, tags and non-digest manifests", async () => {
    await started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    const missing = await get("/acr/v1/nope");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry", detail: { name: "nope" } }],
    });
    expect((await get("/acr/v1/app/_tags/none")).body.errors[0].code).toBe("TAG_UNKNOWN");
    expect((await get("/acr/v1/app/_manifests/v1")).body.errors[0].code).toBe("MANIFEST_UNKNOWN");
  });

  it("keeps /acr/v1/team/app/_tags apart from a repository path", async () => {
    await started.emulator.seedImage({ repository: "team/app", tags: ["v1"] });
    expect((await get("/acr/v1/team/app/_tags")).body.imageName).toBe("team/app");
    const reserved = await get("/acr/v1/team/app/_tags/v1/extra");
    expect(reserved.status).toBe(400);
    expect(reserved.body.errors[0].code).toBe("NAME_INVALID");
  });
});

describe("/acr/v1 paging and ordering", () => {
  it("pages the catalog over 3+ pages with ACR's relative Link", async () => {
    const names = await started.emulator.seedRepositories(7, { prefix: "team/r" });
    const first = await get("/acr/v1/_catalog?n=3");
    expect(first.link).toBe(`</acr/v1/_catalog?last=team%2Fr002&n=3&orderby=>; rel="next"`);
    const pages = await allPages("/acr/v1/_catalog?n=3", (body) => body.repositories);
    expect(pages).toEqual([names.slice(0, 3), names.slice(3, 6), names.slice(6)]);
  });

  it("pages tags by time in both directions, using the last tag name as cursor", async () => {
    const image = await started.emulator.seedImage({ repository: "app" });
    for (const tag of ["c", "a", "e", "b", "d"]) {
      now += 1000;
      await started.emulator.seedManifest({
        repository: "app",
        manifest: decodeBytes(await manifestBytes(image.digest)),
        tags: [tag],
      });
    }
    const desc = await allPages("/acr/v1/app/_tags?n=2&orderby=timedesc", (body) =>
      body.tags.map((tag: any) => tag.name),
    );
    expect(desc).toEqual([["d", "b"], ["e", "a"], ["c"]]);
    const asc = await allPages("/acr/v1/app/_tags?n=2&orderby=timeasc", (body) =>
      body.tags.map((tag: any) => tag.name),
    );
    expect(asc).toEqual([["c", "a"], ["e", "b"], ["d"]]);
    const lexical = await allPages("/acr/v1/app/_tags?n=2", (body) => body.tags.map((tag: any) => tag.name));
    expect(lexical).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    const page = await get("/acr/v1/app/_tags?n=2&orderby=timedesc");
    expect(page.link).toBe(`</acr/v1/app/_tags?last=b&n=2&orderby=timedesc>; rel="next"`);
  });

  it("filters tags by digest", async () => {
    const one = await started.emulator.seedImage({ repository: "app", tags: ["a", "b"] });
    await started.emulator.seedImage({ repository: "app", tags: ["c"] });
    const { body } = await get(`/acr/v1/app/_tags?digest=${one.digest}`);
    expect(body.tags.map((tag: any) => tag.name)).toEqual(["a", "b"]);
  });

  it("pages manifests newest first", async () => {
    const digests: string[] = [];
    for (let index = 0; index < 5; index++) {
      now += 1000;
      digests.push((await started.emulator.seedImage({ repository: "app", tags: [`t${index}`] })).digest);
    }
    const pages = await allPages("/acr/v1/app/_manifests?n=2&orderby=timedesc", (body) =>
      body.manifests.map((m: any) => m.digest),
    );
    expect(pages).toEqual([digests.slice(3).reverse(), digests.slice(1, 3).reverse(), [digests[0]]]);
  });
});

describe("/acr/v1 updates and deletes", () => {
  it("PATCH merges attributes at every level and returns the full object", async () => {
    const image = await started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    const patch = (path: string, body: unknown) =>
      fetch(`${started.url}${path}`, {
        method: "PATCH",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const repo = (await (await patch("/acr/v1/app", { listEnabled: false })).json()) as any;
    expect(repo.changeableAttributes).toEqual({ ...ALL_ON, listEnabled: false });
    expect(repo.imageName).toBe("app");
    const tag = (await (await patch("/acr/v1/app/_tags/v1", { writeEnabled: false })).json()) as any;
    expect(tag.tag.changeableAttributes).toEqual({ ...ALL_ON, writeEnabled: false });
    const manifest = (await (
      await patch(`/acr/v1/app/_manifests/${image.digest}`, { deleteEnabled: false, readEnabled: false })
    ).json()) as any;
    expect(manifest.manifest.changeableAttributes).toEqual({ ...ALL_ON, deleteEnabled: false, readEnabled: false });
    expect((await patch("/acr/v1/app", { listEnabled: "no" })).status).toBe(400);
  });

  it("DELETE of a repository reports what went, and 404s when missing", async () => {
    const image = await started.emulator.seedImage({ repository: "team/app", tags: ["v1", "v2"] });
    const response = await fetch(`${started.url}/acr/v1/team/app`, { method: "DELETE", headers: auth });
    expect(response.status).toBe(202);
    const body = (await response.json()) as any;
    expect(body.manifestsDeleted).toEqual([image.digest]);
    expect(body.tagsDeleted.sort()).toEqual(["v1", "v2"]);
    const again = await fetch(`${started.url}/acr/v1/team/app`, { method: "DELETE", headers: auth });
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe("NAME_UNKNOWN");
    expect((await get("/acr/v1/_catalog")).body.repositories).toEqual([]);
  });

  it("DELETE of a tag leaves the manifest; a missing tag is 404", async () => {
    const image = await started.emulator.seedImage({ repository: "app", tags: ["v1", "v2"] });
    expect((await fetch(`${started.url}/acr/v1/app/_tags/v1`, { method: "DELETE", headers: auth })).status).toBe(202);
    expect((await get("/acr/v1/app")).body.tagCount).toBe(1);
    expect((await get(`/acr/v1/app/_manifests/${image.digest}`)).body.manifest.tags).toEqual(["v2"]);
    const missing = await fetch(`${started.url}/acr/v1/app/_tags/v1`, { method: "DELETE", headers: auth });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("TAG_UNKNOWN");
  });
});

async function manifestBytes(digest: string): Promise<Uint8Array> {
  const response = await fetch(`${started.url}/v2/app/manifests/${digest}`, { headers: auth });
  return new Uint8Array(await response.arrayBuffer());
}

function decodeBytes(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
