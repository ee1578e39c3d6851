import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MANIFEST_SIZE, RegistryError } from "../../../../src/index";
import { MANIFEST_ACCEPT } from "../../../../src/core/content/manifests";
import {
  MEDIA,
  pushImageBlobs,
  REGISTRY_KINDS,
  sha256,
  startRegistry,
  uniqueRepository,
  v2Requests,
  type TestRegistry,
} from "./support";

/** The `Content-Type` the registry stored for a manifest, read past acrkit with a plain GET. */
async function storedContentType(
  registry: TestRegistry,
  repository: string,
  reference: string,
): Promise<string | null> {
  const response = await registry.raw(`/v2/${repository}/manifests/${reference}`, {
    headers: { accept: MANIFEST_ACCEPT },
  });
  await response.body?.cancel();
  expect(response.status).toBe(200);
  return response.headers.get("content-type");
}

describe.each(REGISTRY_KINDS)("manifests against %s", (kind) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("stores an OCI image manifest by tag with its own mediaType and reads it back by tag and by digest", async () => {
    const repository = uniqueRepository("oci");
    const { client } = registry.connect();
    const { manifest } = await pushImageBlobs(client, repository);
    const bytes = new TextEncoder().encode(JSON.stringify(manifest));
    const digest = await client.setManifest(repository, manifest, { tag: "v1" });
    // An object is serialized once with JSON.stringify, and the digest is of exactly those bytes.
    expect(digest).toBe(sha256(bytes));
    expect(await storedContentType(registry, repository, "v1")).toBe(MEDIA.ociManifest);
    for (const reference of ["v1", digest]) {
      const got = await client.getManifest(repository, reference);
      expect(got.digest).toBe(digest);
      expect(got.mediaType).toBe(MEDIA.ociManifest);
      expect(Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(got.manifest).toEqual(manifest);
    }
  });

  it("stores a Docker schema 2 manifest with the Docker media type taken from its mediaType field", async () => {
    const repository = uniqueRepository("docker");
    const { client } = registry.connect();
    const { manifest } = await pushImageBlobs(client, repository, { docker: true });
    const digest = await client.setManifest(repository, manifest, { tag: "latest" });
    expect(await storedContentType(registry, repository, digest)).toBe(MEDIA.dockerManifest);
    const got = await client.getManifest(repository, "latest");
    expect(got).toMatchObject({ digest, mediaType: MEDIA.dockerManifest, manifest });
  });

  it.each([
    ["OCI index", MEDIA.ociIndex, false],
    ["Docker manifest list", MEDIA.dockerList, true],
  ] as const)("stores an %s over two platform manifests", async (_name, listType, docker) => {
    const repository = uniqueRepository("index");
    const { client } = registry.connect();
    const children = [];
    for (const [index, architecture] of ["amd64", "arm64"].entries()) {
      const { manifest } = await pushImageBlobs(client, repository, { docker, architecture, seed: 10 + index });
      const text = JSON.stringify(manifest);
      const digest = await client.setManifest(repository, text);
      children.push({
        mediaType: manifest.mediaType,
        digest,
        size: Buffer.byteLength(text),
        platform: { architecture, os: "linux" },
      });
    }
    const index = { schemaVersion: 2, mediaType: listType, manifests: children };
    const digest = await client.setManifest(repository, index, { tag: "multi" });
    expect(await storedContentType(registry, repository, "multi")).toBe(listType);
    const got = await client.getManifest(repository, "multi");
    expect(got).toMatchObject({ digest, mediaType: listType, manifest: index });
    // Each child is reachable by the digest the index lists, verified against it.
    for (const child of children)
      expect((await client.getManifest(repository, child.digest)).digest).toBe(child.digest);
  });

  it("sends the OCI manifest type for a manifest without a mediaType field, and options.mediaType over the field", async () => {
    const repository = uniqueRepository("no-type");
    const { client } = registry.connect();
    const { manifest } = await pushImageBlobs(client, repository);
    const { mediaType: _dropped, ...untyped } = manifest;
    const digest = await client.setManifest(repository, untyped, { tag: "untyped" });
    expect(await storedContentType(registry, repository, digest)).toBe(MEDIA.ociManifest);
    expect((await client.getManifest(repository, "untyped")).mediaType).toBe(MEDIA.ociManifest);
    // The exact bytes given as a string or as bytes are stored unchanged: whitespace included.
    const spaced = JSON.stringify(manifest, null, 2);
    expect(await client.setManifest(repository, spaced, { mediaType: MEDIA.ociManifest })).toBe(sha256(spaced));
    const fromBytes = new TextEncoder().encode(`${spaced}\n`);
    expect(await client.setManifest(repository, fromBytes, { tag: "bytes" })).toBe(sha256(fromBytes));
    expect(Buffer.from((await client.getManifest(repository, "bytes")).bytes).equals(Buffer.from(fromBytes))).toBe(
      true,
    );
  });

  it("moves a tag to a new manifest", async () => {
    const repository = uniqueRepository("retag");
    const { client } = registry.connect();
    const first = await client.setManifest(
      repository,
      (await pushImageBlobs(client, repository, { seed: 1 })).manifest,
      { tag: "moving" },
    );
    const second = await client.setManifest(
      repository,
      (await pushImageBlobs(client, repository, { seed: 2 })).manifest,
      { tag: "moving" },
    );
    expect(second).not.toBe(first);
    expect((await client.getManifest(repository, "moving")).digest).toBe(second);
    expect((await client.getManifest(repository, first)).digest).toBe(first);
  });

  it("deletes by tag after resolving the tag to its digest with a HEAD, then deletes by digest", async () => {
    const repository = uniqueRepository("delete");
    const { client, requests } = registry.connect();
    const digest = await client.setManifest(repository, (await pushImageBlobs(client, repository)).manifest, {
      tag: "doomed",
    });
    requests.length = 0;
    await client.deleteManifest(repository, "doomed");
    const sent = v2Requests(requests).map((entry) => `${entry.method} ${new URL(entry.url).pathname}`);
    expect(sent).toEqual([`HEAD /v2/${repository}/manifests/doomed`, `DELETE /v2/${repository}/manifests/${digest}`]);
    const error = await client.getManifest(repository, digest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).statusCode).toBe(404);
    await expect(client.getManifest(repository, "doomed")).rejects.toMatchObject({ statusCode: 404 });
    // Deleting by digest again: the manifest is gone, which is not an error.
    await client.deleteManifest(repository, digest);
  });

  it("deletes by digest directly, without resolving", async () => {
    const repository = uniqueRepository("delete-digest");
    const { client, requests } = registry.connect();
    const digest = await client.setManifest(repository, (await pushImageBlobs(client, repository)).manifest, {
      tag: "t",
    });
    requests.length = 0;
    await client.deleteManifest(repository, digest);
    expect(v2Requests(requests).map((entry) => entry.method)).toEqual(["DELETE"]);
    await expect(client.getManifest(repository, "t")).rejects.toMatchObject({ statusCode: 404 });
  });

  it.runIf(kind === "emulator")(
    "a locked manifest's 405 DENIED stays a RegistryError, not an UnsupportedOperationError",
    async () => {
      const repository = uniqueRepository("locked");
      const { client } = registry.connect();
      const digest = await client.setManifest(repository, (await pushImageBlobs(client, repository)).manifest, {
        tag: "t",
      });
      await client.updateManifestProperties(repository, digest, { canDelete: false });
      const error = await client.deleteManifest(repository, digest).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RegistryError);
      expect(error).toMatchObject({ statusCode: 405, code: "DENIED" });
      await expect(client.getManifest(repository, digest)).resolves.toMatchObject({ digest });
    },
  );

  it("deleting an unknown tag resolves, as deleting an unknown digest, deleteTag and deleteRepository do", async () => {
    const repository = uniqueRepository("delete-unknown");
    const { client, requests } = registry.connect();
    await pushImageBlobs(client, repository);
    requests.length = 0;
    await expect(client.deleteManifest(repository, "never-was")).resolves.toBeUndefined();
    // Nothing was deleted: the tag was never resolved to a digest.
    expect(v2Requests(requests).map((entry) => entry.method)).toEqual(["HEAD"]);
    await expect(client.deleteManifest(repository, `sha256:${"e".repeat(64)}`)).resolves.toBeUndefined();
  });

  it("accepts a manifest of exactly 4 MiB and refuses one byte more with a RangeError before any request", async () => {
    const repository = uniqueRepository("limit");
    const { client, requests } = registry.connect();
    const { manifest } = await pushImageBlobs(client, repository);
    const padded = (size: number) => {
      const base = JSON.stringify({ ...manifest, annotations: { pad: "" } });
      return JSON.stringify({ ...manifest, annotations: { pad: "x".repeat(size - Buffer.byteLength(base)) } });
    };
    const exact = padded(MAX_MANIFEST_SIZE);
    expect(Buffer.byteLength(exact)).toBe(MAX_MANIFEST_SIZE);
    const digest = await client.setManifest(repository, exact, { tag: "big" });
    const got = await client.getManifest(repository, "big");
    expect(got.digest).toBe(digest);
    expect(got.bytes.byteLength).toBe(MAX_MANIFEST_SIZE);

    requests.length = 0;
    await expect(client.setManifest(repository, padded(MAX_MANIFEST_SIZE + 1))).rejects.toThrow(RangeError);
    await expect(client.setManifest(repository, JSON.parse(padded(MAX_MANIFEST_SIZE + 1)) as object)).rejects.toThrow(
      /4194304/,
    );
    expect(requests).toEqual([]);
  });

  it.each([
    ["text that is not JSON", "this is not json"],
    ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
    ["a JSON array", "[1, 2, 3]"],
    ["a JSON string", '"manifest"'],
    ["truncated JSON", '{"schemaVersion": 2, "config": {'],
  ])("refuses %s with a clear TypeError before any request", async (_name, bad) => {
    const { client, requests } = registry.connect();
    const error = await client.setManifest(uniqueRepository("bad-json"), bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/manifest/i);
    expect(requests).toEqual([]);
  });

  it.each([
    "sha256:ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
    "sha256:abc",
    `sha256:${"a".repeat(65)}`,
    `sha512:${"a".repeat(64)}`,
    `md5:${"a".repeat(32)}`,
    "sha256:",
    `sha256:${"g".repeat(64)}`,
  ])("refuses the malformed digest %s with a TypeError naming it, before any request", async (digest) => {
    const { client, requests } = registry.connect();
    const repository = uniqueRepository("bad-digest");
    for (const call of [
      () => client.getManifest(repository, digest),
      () => client.deleteManifest(repository, digest),
      () => client.downloadBlob(repository, digest),
      () => client.deleteBlob(repository, digest),
      () => client.blobExists(repository, digest),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(digest.slice(0, 20));
    }
    expect(requests).toEqual([]);
  });

  it.each(["-leading-dash", ".dot", "has space", "x".repeat(129), "tag/slash"])(
    "refuses the tag %j before any request",
    async (tag) => {
      const { client, requests } = registry.connect();
      const repository = uniqueRepository("bad-tag");
      await expect(client.setManifest(repository, { schemaVersion: 2 }, { tag })).rejects.toThrow(TypeError);
      await expect(client.getManifest(repository, tag)).rejects.toThrow(TypeError);
      await expect(client.deleteManifest(repository, tag)).rejects.toThrow(TypeError);
      expect(requests).toEqual([]);
    },
  );

  it("asks for a well-formed sha512 manifest digest and gets a RegistryError, not a TypeError", async () => {
    const { client, requests } = registry.connect();
    const repository = uniqueRepository("sha512");
    await pushImageBlobs(client, repository);
    const error = await client.getManifest(repository, `sha512:${"ab".repeat(64)}`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect(requests.some((entry) => entry.url.includes("sha512:"))).toBe(true);
  });

  it("reports an unknown manifest as a RegistryError with the registry's code", async () => {
    const repository = uniqueRepository("unknown");
    const { client } = registry.connect();
    await client.setManifest(repository, (await pushImageBlobs(client, repository)).manifest, { tag: "known" });
    const error = (await client.getManifest(repository, "nope").catch((caught: unknown) => caught)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("MANIFEST_UNKNOWN");
  });
});
