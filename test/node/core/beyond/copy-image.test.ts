import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  copyImage,
  DigestValidationError,
  type ContainerRegistryClient,
  type CopyProgress,
  type FetchLike,
  type OciDescriptor,
} from "../../../../src/index";
import {
  readAll,
  REGISTRY_KINDS,
  sha256,
  startRegistry,
  uniqueRepository,
  uploadRequests,
  v2Requests,
  type TestRegistry,
} from "../content/support";
import { pushImage, pushIndex, pushReferrer } from "./images";

const PLATFORMS = [
  { os: "linux", architecture: "amd64" },
  { os: "linux", architecture: "arm64", variant: "v8" },
  { os: "linux", architecture: "arm", variant: "v7" },
];

async function referrerDigests(client: ContainerRegistryClient, repository: string, digest: string): Promise<string[]> {
  const digests: string[] = [];
  for await (const referrer of client.listReferrers(repository, digest)) digests.push(referrer.digest);
  return digests.sort();
}

/** Checks every manifest and blob of an index is at the destination, byte for byte. */
async function expectSameImage(
  source: ContainerRegistryClient,
  sourceRepository: string,
  destination: ContainerRegistryClient,
  destinationRepository: string,
  reference: string,
) {
  const original = await source.getManifest(sourceRepository, reference);
  const copy = await destination.getManifest(destinationRepository, reference);
  expect(copy.digest).toBe(original.digest);
  expect(Buffer.from(copy.bytes).equals(Buffer.from(original.bytes))).toBe(true);
  for (const entry of original.manifest.manifests as OciDescriptor[]) {
    const child = await destination.getManifest(destinationRepository, entry.digest);
    const layers = child.manifest.layers as OciDescriptor[];
    for (const blob of [child.manifest.config as OciDescriptor, ...layers]) {
      const download = await destination.downloadBlob(destinationRepository, blob.digest);
      expect(sha256(await readAll(download.body))).toBe(blob.digest);
    }
  }
}

/**
 * Counts blob transfers in flight: one is from its upload session's POST to the PUT that completes it. The PUT is
 * slowed, so transfers would overlap whenever the limit let them.
 */
function transferCounter() {
  const counter = { active: 0, most: 0, fetch: undefined as unknown as FetchLike };
  counter.fetch = async (request) => {
    const opening = request.method === "POST" && request.url.includes("/blobs/uploads/");
    const closing = request.method === "PUT" && request.url.includes("/blobs/uploads/");
    if (opening) counter.most = Math.max(counter.most, ++counter.active);
    if (closing) await new Promise((resolve) => setTimeout(resolve, 40));
    const response = await fetch(request);
    if (closing && response.status === 201) counter.active--;
    return response;
  };
  return counter;
}

describe("copyImage across registries", () => {
  let emulator: TestRegistry;
  let docker: TestRegistry;
  beforeAll(async () => {
    [emulator, docker] = await Promise.all([startRegistry("emulator"), startRegistry("docker-registry")]);
  });
  afterAll(async () => {
    await Promise.all([emulator?.stop(), docker?.stop()]);
  });

  it("copies an index with all platforms and its referrers from the emulator to docker-registry and back", async () => {
    const { client: source } = emulator.connect();
    // Small chunks on the receiving sides, so blobs stream through in several PATCHes.
    const { client: middle, requests: middleRequests } = docker.connect({ chunkSize: 256 });
    const { client: back } = emulator.connect({ chunkSize: 256 });
    const repository = uniqueRepository("copy-source");
    const index = await pushIndex(source, repository, PLATFORMS, { tag: "v1", layers: [700, 1500] });
    const indexDescriptor = {
      mediaType: index.mediaType,
      digest: index.digest,
      size: (await source.getManifest(repository, "v1")).bytes.byteLength,
    };
    const signature = await pushReferrer(source, repository, indexDescriptor, "application/vnd.example.signature.v1");
    const sbom = await pushReferrer(source, repository, index.images[0]!, "application/spdx+json");
    // A referrer of a referrer (a signature of the SBOM) comes along too.
    const sbomSignature = await pushReferrer(
      source,
      repository,
      { mediaType: sbom.mediaType, digest: sbom.digest, size: sbom.size },
      "application/vnd.example.signature.v1",
    );

    const there = uniqueRepository("copy-there");
    const events: CopyProgress[] = [];
    const result = await copyImage(
      { client: source, repository, reference: "v1" },
      { client: middle, repository: there, reference: "v1" },
      { referrers: true, onProgress: (event) => events.push(event) },
    );
    expect(result.digest).toBe(index.digest);
    expect(result.mediaType).toBe(index.mediaType);
    // The index, three images, three referrers.
    expect(result.manifests).toBe(7);
    expect(result.blobs.copied).toBe(events.at(-1)!.totalBlobs);
    expect(result.blobs.mounted).toBe(0);
    expect(uploadRequests(middleRequests).filter((request) => request.startsWith("PATCH")).length).toBeGreaterThan(0);
    await expectSameImage(source, repository, middle, there, "v1");
    // docker-registry has no referrers API: the copy maintained the referrers tags there.
    expect(await referrerDigests(middle, there, index.digest)).toEqual([signature.digest]);
    expect(await referrerDigests(middle, there, index.images[0]!.digest)).toEqual([sbom.digest]);
    expect(await referrerDigests(middle, there, sbom.digest)).toEqual([sbomSignature.digest]);

    const last = events.at(-1)!;
    expect(last.completedBlobs).toBe(last.totalBlobs);
    expect(last.completedBytes).toBe(last.totalBytes);
    expect(events.some((event) => event.action === "copying")).toBe(true);

    const home = uniqueRepository("copy-back");
    const returned = await copyImage(
      { client: middle, repository: there, reference: "v1" },
      { client: back, repository: home, reference: "v1" },
      { referrers: true },
    );
    expect(returned.digest).toBe(index.digest);
    await expectSameImage(source, repository, back, home, "v1");
    expect(await referrerDigests(back, home, index.digest)).toEqual([signature.digest]);
    expect(await referrerDigests(back, home, sbom.digest)).toEqual([sbomSignature.digest]);
  });

  it("leaves referrers behind unless asked, and copies a Docker manifest list", async () => {
    const { client: source } = emulator.connect();
    const { client: destination } = docker.connect();
    const repository = uniqueRepository("list-source");
    const list = await pushIndex(source, repository, PLATFORMS.slice(0, 2), { tag: "v1", docker: true });
    await pushReferrer(source, repository, list.images[0]!, "application/spdx+json");
    const target = uniqueRepository("list-target");
    const result = await copyImage(
      { client: source, repository, reference: "v1" },
      { client: destination, repository: target, reference: "v1" },
    );
    expect(result).toMatchObject({
      digest: list.digest,
      mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
      manifests: 3,
    });
    await expectSameImage(source, repository, destination, target, "v1");
    expect(await referrerDigests(destination, target, list.images[0]!.digest)).toEqual([]);
  });

  it("never runs more transfers at once than concurrency, and does run that many", async () => {
    const { client: source } = emulator.connect();
    const repository = uniqueRepository("many-layers");
    await pushImage(source, repository, { tag: "v1", layers: [900, 901, 902, 903, 904, 905, 906, 907] });

    for (const concurrency of [1, 3]) {
      const counter = transferCounter();
      const { client: destination } = docker.connect({ fetch: counter.fetch });
      const result = await copyImage(
        { client: source, repository, reference: "v1" },
        { client: destination, repository: uniqueRepository("limited"), reference: "v1" },
        { concurrency },
      );
      expect(result.blobs.copied).toBe(9);
      expect(counter.most).toBe(concurrency);
      expect(counter.active).toBe(0);
    }
  });

  it("sends each blob across registries with one HEAD, one GET, a POST and one streamed PUT (bench/README.md, CLI copy)", async () => {
    const { client: source, requests: sourceRequests } = emulator.connect();
    const repository = uniqueRepository("requests-per-blob");
    await pushImage(source, repository, { tag: "v1", layers: [300_000, 200_000, 700] });
    const { client: destination, requests } = docker.connect();
    sourceRequests.length = 0;
    const result = await copyImage(
      { client: source, repository, reference: "v1" },
      { client: destination, repository: uniqueRepository("per-blob"), reference: "v1" },
    );
    expect(result.blobs).toEqual({ skipped: 0, mounted: 0, copied: 4 });
    const blobCalls = (entries: typeof requests, method: string) =>
      v2Requests(entries).filter((entry) => entry.method === method && entry.url.includes("/blobs/")).length;
    expect(blobCalls(sourceRequests, "GET")).toBe(4);
    expect([
      blobCalls(requests, "HEAD"),
      blobCalls(requests, "POST"),
      blobCalls(requests, "PUT"),
      blobCalls(requests, "PATCH"),
    ]).toEqual([4, 4, 4, 0]);
  });

  it("downloads a blob again when the connection drops during its streamed PUT, and skips what the destination has", async () => {
    const { client: source, requests: sourceRequests } = emulator.connect();
    const repository = uniqueRepository("dropped-put");
    const image = await pushImage(source, repository, { tag: "v1", layers: [400_000] });
    let dropped = 0;
    const dropFirstPut: FetchLike = async (request) => {
      if (request.method === "PUT" && request.url.includes("/blobs/uploads/") && dropped++ === 0) {
        await request.body?.cancel();
        throw new TypeError("fetch failed");
      }
      return fetch(request);
    };
    const { client: destination } = docker.connect({ fetch: dropFirstPut });
    const target = uniqueRepository("dropped-put-target");
    sourceRequests.length = 0;
    const result = await copyImage(
      { client: source, repository, reference: "v1" },
      { client: destination, repository: target, reference: "v1" },
      { concurrency: 1 },
    );
    expect(result.blobs.copied).toBe(2);
    expect(
      v2Requests(sourceRequests).filter((entry) => entry.method === "GET" && entry.url.includes("/blobs/")).length,
    ).toBe(3);
    const copy = await destination.getManifest(target, "v1");
    expect(copy.digest).toBe(image.digest);
    for (const blob of [copy.manifest.config as OciDescriptor, ...(copy.manifest.layers as OciDescriptor[])]) {
      expect(sha256(await readAll((await destination.downloadBlob(target, blob.digest)).body))).toBe(blob.digest);
    }
    const again = await copyImage(
      { client: source, repository, reference: image.digest },
      { client: destination, repository: target, reference: "v2" },
    );
    expect(again.blobs).toEqual({ skipped: 2, mounted: 0, copied: 0 });
  });

  it("uses the destination client's concurrency by default", async () => {
    const { client: source } = emulator.connect();
    const repository = uniqueRepository("default-concurrency");
    await pushImage(source, repository, { tag: "v1", layers: [100, 101, 102, 103, 104] });
    const counter = transferCounter();
    const { client: destination } = docker.connect({ fetch: counter.fetch, concurrency: 2 });
    await copyImage(
      { client: source, repository, reference: "v1" },
      { client: destination, repository: uniqueRepository("default-limited"), reference: "v1" },
    );
    expect(counter.most).toBe(2);
  });

  it("copies by digest, and refuses a destination digest that is not the source's before sending anything", async () => {
    const { client: source } = emulator.connect();
    const { client: destination, requests } = docker.connect();
    const repository = uniqueRepository("by-digest");
    const image = await pushImage(source, repository, { tag: "v1" });
    const target = uniqueRepository("by-digest-target");
    const result = await copyImage(
      { client: source, repository, reference: image.digest },
      { client: destination, repository: target, reference: image.digest },
    );
    expect(result.digest).toBe(image.digest);
    expect(await destination.manifestExists(target, image.digest)).toBe(true);

    requests.length = 0;
    const wrong = `sha256:${"c".repeat(64)}`;
    await expect(
      copyImage(
        { client: source, repository, reference: "v1" },
        { client: destination, repository: uniqueRepository("wrong"), reference: wrong },
      ),
    ).rejects.toThrow(DigestValidationError);
    expect(requests).toEqual([]);
  });

  it("refuses bad input before any request", async () => {
    const { client: source, requests } = emulator.connect();
    const { client: destination } = docker.connect();
    const good = { client: source, repository: "ok", reference: "v1" };
    await expect(copyImage(good, { client: destination, repository: "Bad", reference: "v1" })).rejects.toThrow(/"Bad"/);
    await expect(copyImage({ ...good, reference: "no tag" }, { ...good, client: destination })).rejects.toThrow(
      /no tag/,
    );
    await expect(copyImage(good, { ...good, client: {} as never })).rejects.toThrow(/ContainerRegistryClient/);
    await expect(copyImage(good, { ...good, client: destination }, { concurrency: 0 })).rejects.toThrow(RangeError);
    expect(requests).toEqual([]);
  });
});

describe.each(REGISTRY_KINDS)("copyImage within %s", (kind) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("mounts blobs instead of uploading them, and a second copy mounts again without a byte moved", async () => {
    const { client: writer } = registry.connect();
    const repository = uniqueRepository("mount-source");
    const index = await pushIndex(writer, repository, PLATFORMS.slice(0, 2), { tag: "v1" });
    const { client, requests } = registry.connect();
    const target = uniqueRepository("mount-target");
    const first = await copyImage(
      { client, repository, reference: "v1" },
      { client, repository: target, reference: "v2" },
    );
    expect(first.blobs).toEqual({ skipped: 0, mounted: 6, copied: 0 });
    expect(uploadRequests(requests)).toEqual(Array(6).fill("POST 201"));
    expect(requests.some((entry) => entry.method === "GET" && entry.url.includes("/blobs/"))).toBe(false);
    expect((await client.getManifest(target, "v2")).digest).toBe(index.digest);

    requests.length = 0;
    const second = await copyImage(
      { client, repository, reference: "v1" },
      { client, repository: target, reference: "v2" },
    );
    // Within one registry the mount is asked first, with no HEAD: a registry answers 201 for a blob already there.
    expect(second.blobs).toEqual({ skipped: 0, mounted: 6, copied: 0 });
    expect(uploadRequests(requests)).toEqual(Array(6).fill("POST 201"));
  });

  it("copies within one repository under a new tag without moving a byte", async () => {
    const { client, requests } = registry.connect();
    const repository = uniqueRepository("retag");
    const image = await pushImage(client, repository, { tag: "v1" });
    requests.length = 0;
    const result = await copyImage(
      { client, repository, reference: "v1" },
      { client, repository, reference: "latest" },
    );
    expect(result.blobs).toEqual({ skipped: 3, mounted: 0, copied: 0 });
    expect((await client.getManifest(repository, "latest")).digest).toBe(image.digest);
    expect(uploadRequests(requests)).toEqual([]);
  });
});
