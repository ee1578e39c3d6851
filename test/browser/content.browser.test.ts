/**
 * Every /v2 content method of the client, run in Chromium: against the emulator with CORS, its redirect mode,
 * the CORS proxy example in front of a CORS-less emulator, a forwarder that tampers with blobs, and
 * docker-registry 2.8.2 with CORS headers.
 */
import { describe, expect, it } from "vitest";
import { ContainerRegistryClient, DigestValidationError } from "../../src/index";
import {
  adminClient,
  EMPTY_CONFIG,
  EMPTY_MEDIA_TYPE,
  readAll,
  servers,
  sha256,
  uniqueRepository,
} from "./support/in-browser";
import { contentRoundTrip } from "./support/round-trip";

const MiB = 1024 * 1024;
const { emulator, redirectingEmulator, corsProxy, tamper, dockerRegistry, seeded } = servers();

describe("content against the emulator with CORS", () => {
  it("round-trips a 64 MiB File with progress events, an artifact manifest and a verified download", async () => {
    await contentRoundTrip(adminClient(emulator), uniqueRepository("browser/content"), { size: 64 * MiB });
  });

  it("surfaces a DigestValidationError from a tampered download instead of closing the stream", async () => {
    const { repository, digest, size } = seeded.tampered;
    const download = await new ContainerRegistryClient(tamper).downloadBlob(repository, digest);
    expect(download.size).toBe(size);
    const error = await readAll(download.body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DigestValidationError);
    expect((error as DigestValidationError).expected).toBe(digest);
    expect((error as DigestValidationError).actual).not.toBe(digest);
  });
});

describe("content through a blob-read redirect", () => {
  const { repository, layer, tag } = seeded.redirected;

  it("follows the 307 to a storage origin with CORS, which refuses Authorization", async () => {
    const answeredFrom: string[] = [];
    const recordingFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (response.ok) answeredFrom.push(new URL(response.url).origin);
      return response;
    };
    const client = adminClient(redirectingEmulator, { fetch: recordingFetch });
    const manifest = await client.getManifest(repository, tag);
    expect((manifest.manifest as { layers: Array<{ digest: string }> }).layers[0]!.digest).toBe(layer);
    const download = await client.downloadBlob(repository, layer);
    expect(await sha256(await readAll(download.body))).toBe(layer);
    // The bytes came from the storage origin: the browser followed the 307 (without Authorization, or the
    // emulator's storage would have answered 403).
    expect(answeredFrom.filter((origin) => origin !== redirectingEmulator)).toHaveLength(1);
  });

  it("reads everything through examples/cors-proxy from one origin, the registry sending no CORS headers", async () => {
    const seen: string[] = [];
    const recordingFetch = (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const client = adminClient(corsProxy, { fetch: recordingFetch });
    const names: string[] = [];
    for await (const name of client.listRepositoryNames()) names.push(name);
    expect(names).toContain(repository);
    const download = await client.downloadBlob(repository, layer);
    expect(await sha256(await readAll(download.body))).toBe(layer);
    await contentRoundTrip(client, uniqueRepository("browser/proxied"), { size: 3 * MiB, chunkSize: MiB });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.every((url) => new URL(url).origin === corsProxy)).toBe(true);
  });
});

describe("content against docker-registry 2.8.2 with CORS headers", () => {
  it("round-trips a File with progress, an artifact manifest and a verified download", async () => {
    await contentRoundTrip(new ContainerRegistryClient(dockerRegistry), uniqueRepository("browser/distribution"), {
      size: 12 * MiB,
      chunkSize: 4 * MiB,
    });
  });

  // Firefox ESR 153 answered a GET of a manifest deleted a moment before from its HTTP cache (200 where the registry
  // says 404), and docker-registry marks manifests by digest cacheable: every request goes out with cache "no-store".
  it("reads a tag again after it moved and after its manifest was deleted, never from the browser's HTTP cache", async () => {
    const client = new ContainerRegistryClient(dockerRegistry);
    const repository = uniqueRepository("browser/retag");
    const config = await client.uploadBlob(repository, EMPTY_CONFIG);
    const manifestOf = (title: string) => ({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/vnd.acrkit.test+type",
      config: { mediaType: EMPTY_MEDIA_TYPE, digest: config.digest, size: config.size },
      layers: [],
      annotations: { "org.opencontainers.image.title": title },
    });
    const first = await client.setManifest(repository, manifestOf("first"), { tag: "moving" });
    expect((await client.getManifest(repository, "moving")).digest).toBe(first);
    expect((await client.getManifest(repository, first)).digest).toBe(first);

    const second = await client.setManifest(repository, manifestOf("second"), { tag: "moving" });
    expect(second).not.toBe(first);
    expect((await client.getManifest(repository, "moving")).digest).toBe(second);

    await client.deleteManifest(repository, second);
    await expect(client.getManifest(repository, "moving")).rejects.toMatchObject({ statusCode: 404 });
    await expect(client.getManifest(repository, second)).rejects.toMatchObject({ statusCode: 404 });
    expect(await client.manifestExists(repository, second)).toBe(false);
    await client.deleteManifest(repository, first);
    await expect(client.getManifest(repository, first)).rejects.toMatchObject({ statusCode: 404 });
  });
});
