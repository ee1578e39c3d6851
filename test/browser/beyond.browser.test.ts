/**
 * The methods beyond the Python library's: existence checks, platform resolution, mount, referrers and copyImage,
 * run in Chromium against the emulator with CORS, and copyImage from it to docker-registry 2.8.2.
 */
import { describe, expect, it } from "vitest";
import { ContainerRegistryClient, copyImage, type OciDescriptor } from "../../src/index";
import { EMPTY_CONFIG, EMPTY_MEDIA_TYPE, adminClient, servers, uniqueRepository } from "./support/in-browser";

const { emulator, dockerRegistry, seeded } = servers();
const { index } = seeded;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

describe("beyond the seed, in the browser", () => {
  it("checks manifest existence by tag and digest with HEAD", async () => {
    const client = adminClient(emulator);
    expect(await client.manifestExists(index.repository, index.tag)).toBe(true);
    expect(await client.manifestExists(index.repository, index.digest)).toBe(true);
    expect(await client.manifestExists(index.repository, "no-such-tag")).toBe(false);
    expect(await client.blobExists(index.repository, index.platforms[0]!.layers[0]!)).toBe(true);
  });

  it("resolves an index to a platform's manifest", async () => {
    const client = adminClient(emulator);
    const whole = await client.getManifest(index.repository, index.tag);
    expect(whole.digest).toBe(index.digest);
    const arm64 = index.platforms.find((platform) => platform.architecture === "arm64")!;
    const resolved = await client.getManifest(index.repository, index.tag, {
      platform: { os: "linux", architecture: "arm64" },
    });
    expect(resolved.digest).toBe(arm64.digest);
    expect(resolved.mediaType).toBe(OCI_MANIFEST);
  });

  it("mounts a blob from another repository without sending its bytes", async () => {
    const client = adminClient(emulator);
    const target = uniqueRepository("browser/mounted");
    const layer = index.platforms[0]!.layers[0]!;
    expect(await client.blobExists(target, layer)).toBe(false);
    expect(await client.mountBlob(target, layer, index.repository)).toEqual({ mounted: true });
    expect(await client.blobExists(target, layer)).toBe(true);
    // A blob the source does not hold cannot be mounted; the opened session is cancelled.
    const unknown = `sha256:${"0".repeat(64)}`;
    expect(await client.mountBlob(target, unknown, index.repository)).toEqual({ mounted: false });
  });

  it("lists the referrers of a manifest, filtered by artifact type", async () => {
    const client = adminClient(emulator);
    const subject = index.platforms[0]!;
    const subjectManifest = await client.getManifest(index.repository, subject.digest);
    const config = await client.uploadBlob(index.repository, EMPTY_CONFIG);
    const referrer = (artifactType: string) => ({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType,
      config: { mediaType: EMPTY_MEDIA_TYPE, digest: config.digest, size: config.size },
      layers: [{ mediaType: EMPTY_MEDIA_TYPE, digest: config.digest, size: config.size }],
      subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subjectManifest.bytes.byteLength },
    });
    const signature = await client.pushManifest(index.repository, referrer("application/vnd.example.signature"));
    expect(signature.subject).toBe(subject.digest);
    const sbom = await client.setManifest(index.repository, referrer("application/spdx+json"));

    const all: OciDescriptor[] = [];
    for await (const descriptor of client.listReferrers(index.repository, subject.digest)) all.push(descriptor);
    expect(all.map((descriptor) => descriptor.digest).sort()).toEqual([signature.digest, sbom].sort());
    const sboms: OciDescriptor[] = [];
    for await (const descriptor of client.listReferrers(index.repository, subject.digest, {
      artifactType: "application/spdx+json",
    }))
      sboms.push(descriptor);
    expect(sboms).toMatchObject([{ digest: sbom, artifactType: "application/spdx+json" }]);
  });

  it("copies a multi-platform image from the emulator to docker-registry", async () => {
    const source = { client: adminClient(emulator), repository: index.repository, reference: index.tag };
    const destination = {
      client: new ContainerRegistryClient(dockerRegistry),
      repository: uniqueRepository("browser/copied"),
      reference: "copied",
    };
    const copied = await copyImage(source, destination);
    expect(copied.digest).toBe(index.digest);
    const back = await destination.client.getManifest(destination.repository, "copied");
    expect(back.digest).toBe(index.digest);
    for (const platform of index.platforms) {
      expect(await destination.client.manifestExists(destination.repository, platform.digest)).toBe(true);
      expect(await destination.client.blobExists(destination.repository, platform.layers[0]!)).toBe(true);
    }
  });
});
