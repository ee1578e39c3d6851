/**
 * Every /v2 content method of the client, run in Chromium: against the emulator with CORS, its redirect mode,
 * the CORS proxy example in front of a CORS-less emulator, a forwarder that tampers with blobs, and
 * docker-registry 2.8.2 with CORS headers.
 */
import { describe, expect, it } from "vitest";
import { ContainerRegistryClient, DigestValidationError } from "../../src/index";
import { adminClient, readAll, servers, sha256, uniqueRepository } from "./support/in-browser";
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
    // Firefox ESR 153 answers a GET of a manifest deleted a moment ago from its HTTP cache (200, where Chromium and
    // WebKit ask docker-registry and get 404): the page's fetch opts out of that cache, as an app that checks
    // deletions would.
    const uncached = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, cache: "no-store" });
    await contentRoundTrip(new ContainerRegistryClient(dockerRegistry, undefined, { fetch: uncached }), uniqueRepository("browser/distribution"), { size: 12 * MiB, chunkSize: 4 * MiB });
  });
});
