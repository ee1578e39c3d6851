import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient } from "../../../../src/index";
import { startDockerRegistry, type RunningDockerRegistry } from "../../../support/docker-registry";
import { copyToOciLayout, inspectRaw, pushOciLayout } from "../../../support/skopeo";
import { MEDIA, patterned, pushImageBlobs, readAll, sha256, uniqueRepository } from "./support";

interface LayoutIndex {
  manifests: Array<{ digest: string; mediaType: string; annotations?: Record<string, string> }>;
}

function readBlob(layout: string, digest: string): Buffer {
  return readFileSync(join(layout, "blobs", ...digest.split(":")));
}

function writeBlob(layout: string, bytes: Uint8Array): { digest: string; size: number } {
  const digest = sha256(bytes);
  writeFileSync(join(layout, "blobs", "sha256", digest.slice("sha256:".length)), bytes);
  return { digest, size: bytes.byteLength };
}

describe("skopeo interop with docker-registry", () => {
  let registry: RunningDockerRegistry;
  let scratch: string;
  beforeAll(async () => {
    registry = await startDockerRegistry();
    scratch = mkdtempSync(join(tmpdir(), "acrkit-skopeo-"));
  });
  afterAll(async () => {
    await registry?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("copies an image pushed by acrkit into an OCI layout with the same manifest and layer digests", async () => {
    // Chunks of 1 MiB: the 2.5 MB layer goes up in PATCHes, and that is what skopeo reads back.
    const client = new ContainerRegistryClient(registry.url, undefined, { chunkSize: 1024 * 1024 });
    const repository = uniqueRepository("to-skopeo");
    // Real gzip: skopeo recompresses a "+gzip" layer whose bytes are not gzip, which would change the digests.
    const layers = [gzipSync(patterned(2_500_000, 1), { level: 1 }), gzipSync(patterned(17, 2))];
    const parts = await pushImageBlobs(client, repository, { layers });
    const digest = await client.setManifest(repository, parts.manifest, { tag: "v1" });

    expect(sha256(await inspectRaw(registry.url, repository, "v1"))).toBe(digest);
    const layout = join(scratch, "from-acrkit");
    await copyToOciLayout(registry.url, repository, "v1", layout, "v1");

    const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as LayoutIndex;
    const entry = index.manifests.find(
      (manifest) => manifest.annotations?.["org.opencontainers.image.ref.name"] === "v1",
    );
    expect(entry?.digest).toBe(digest);
    const manifestBytes = readBlob(layout, digest);
    expect(sha256(manifestBytes)).toBe(digest);
    const manifest = JSON.parse(manifestBytes.toString("utf8")) as typeof parts.manifest;
    expect(manifest.layers.map((layer) => layer.digest)).toEqual(parts.layers.map((layer) => sha256(layer)));
    expect(manifest.config.digest).toBe(sha256(parts.config));
    for (const [position, layer] of manifest.layers.entries()) {
      const bytes = readBlob(layout, layer.digest);
      expect(sha256(bytes)).toBe(layer.digest);
      expect(bytes.equals(Buffer.from(parts.layers[position]!))).toBe(true);
    }
  });

  it("pulls an image that skopeo pushed from a hand-made OCI layout, with verified digests", async () => {
    const layout = join(scratch, "for-skopeo");
    mkdirSync(join(layout, "blobs", "sha256"), { recursive: true });
    writeFileSync(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    const layerBytes = gzipSync(patterned(1_200_000, 7), { level: 1 });
    const layer = writeBlob(layout, layerBytes);
    const configBytes = new TextEncoder().encode(
      JSON.stringify({
        architecture: "arm64",
        os: "linux",
        rootfs: { type: "layers", diff_ids: [sha256(patterned(1_200_000, 7))] },
      }),
    );
    const config = writeBlob(layout, configBytes);
    const manifestBytes = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, ...config },
        layers: [{ mediaType: MEDIA.ociLayer, ...layer }],
        annotations: { "org.example.made-by": "acrkit interop test" },
      }),
    );
    const manifest = writeBlob(layout, manifestBytes);
    writeFileSync(
      join(layout, "index.json"),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          { mediaType: MEDIA.ociManifest, ...manifest, annotations: { "org.opencontainers.image.ref.name": "v2" } },
        ],
      }),
    );

    const repository = uniqueRepository("from-skopeo");
    await pushOciLayout(layout, "v2", registry.url, repository, "v2");

    const client = new ContainerRegistryClient(registry.url);
    const got = await client.getManifest(repository, "v2");
    expect(got.digest).toBe(manifest.digest);
    expect(got.mediaType).toBe(MEDIA.ociManifest);
    expect(Buffer.from(got.bytes).equals(Buffer.from(manifestBytes))).toBe(true);
    for (const [descriptor, bytes] of [
      [layer, layerBytes],
      [config, configBytes],
    ] as const) {
      const download = await client.downloadBlob(repository, descriptor.digest);
      expect(download.size).toBe(descriptor.size);
      expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(bytes))).toBe(true);
    }
    expect((await client.getManifest(repository, manifest.digest)).digest).toBe(manifest.digest);
  });
});
