import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRY_KINDS, startRegistry, uniqueRepository, uploadRequests, type TestRegistry } from "../content/support";
import { pushImage } from "./images";

describe.each(REGISTRY_KINDS)("manifestExists and mountBlob against %s", (kind) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("answers manifestExists by tag and by digest, true and false, with HEAD only", async () => {
    const repository = uniqueRepository("exists");
    const { client, requests } = registry.connect();
    const image = await pushImage(client, repository, { tag: "v1" });
    requests.length = 0;
    expect(await client.manifestExists(repository, "v1")).toBe(true);
    expect(await client.manifestExists(repository, image.digest)).toBe(true);
    expect(await client.manifestExists(repository, "v2")).toBe(false);
    expect(await client.manifestExists(repository, `sha256:${"0".repeat(64)}`)).toBe(false);
    expect(await client.manifestExists(uniqueRepository("never-pushed"), "v1")).toBe(false);
    expect(requests.filter((entry) => entry.url.includes("/manifests/")).map((entry) => entry.method)).toEqual([
      "HEAD",
      "HEAD",
      "HEAD",
      "HEAD",
      "HEAD",
    ]);
  });

  it("mounts a blob from another repository (201): no bytes are sent and the blob is then there", async () => {
    const source = uniqueRepository("mount-source");
    const destination = uniqueRepository("mount-destination");
    const { client, requests } = registry.connect();
    const image = await pushImage(client, source);
    const digest = image.layerDigests[0]!;
    expect(await client.blobExists(destination, digest)).toBe(false);
    requests.length = 0;
    expect(await client.mountBlob(destination, digest, source)).toEqual({ mounted: true });
    expect(uploadRequests(requests)).toEqual(["POST 201"]);
    expect(await client.blobExists(destination, digest)).toBe(true);
  });

  it("sends the OCI 1.1 mount without from when no source is named; a registry that cannot opens a session, which is cancelled", async () => {
    const source = uniqueRepository("mount-anywhere-source");
    const destination = uniqueRepository("mount-anywhere-destination");
    const { client, requests } = registry.connect();
    const digest = (await pushImage(client, source)).layerDigests[0]!;
    requests.length = 0;
    // Neither registry looks for the blob elsewhere (distribution 2.8 predates OCI 1.1; the emulator checks the
    // token, which names no other repository): both answer 202, and nothing is left open.
    expect(await client.mountBlob(destination, digest)).toEqual({ mounted: false });
    const post = requests.find((entry) => entry.method === "POST" && entry.url.includes("/blobs/uploads/"))!;
    expect(new URL(post.url).searchParams.get("mount")).toBe(digest);
    expect(new URL(post.url).searchParams.has("from")).toBe(false);
    expect(uploadRequests(requests).slice(-2)).toEqual(["POST 202", expect.stringMatching(/^DELETE 20[04]$/)]);
  });

  it("cancels the session a registry opens instead of mounting (202) and says mounted: false", async () => {
    const source = uniqueRepository("mount-empty-source");
    const destination = uniqueRepository("mount-destination");
    const { client, requests } = registry.connect();
    await pushImage(client, destination);
    const missing = `sha256:${"1".repeat(64)}`;
    expect(await client.mountBlob(destination, missing, source)).toEqual({ mounted: false });
    expect(uploadRequests(requests).slice(-2)).toEqual(["POST 202", expect.stringMatching(/^DELETE 20[04]$/)]);
    expect(await client.blobExists(destination, missing)).toBe(false);
  });

  it("refuses bad input before any request", async () => {
    const { client, requests } = registry.connect();
    await expect(client.manifestExists("Bad Name", "v1")).rejects.toThrow(TypeError);
    await expect(client.manifestExists("ok", "bad tag")).rejects.toThrow(/bad tag/);
    await expect(client.mountBlob("ok", "sha256:abc", "other")).rejects.toThrow(/sha256:abc/);
    await expect(client.mountBlob("ok", `sha256:${"1".repeat(64)}`, "Other")).rejects.toThrow(/"Other"/);
    expect(requests).toEqual([]);
  });
});
