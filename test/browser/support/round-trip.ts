/**
 * The content round trip every registry in the browser suite must pass: upload a File with progress, store an
 * OCI artifact manifest over it, read both back verified, delete them.
 * @module
 */
import { expect } from "vitest";
import type { ContainerRegistryClient, TransferProgress } from "../../../src/index";
import { EMPTY_CONFIG, EMPTY_MEDIA_TYPE, randomBytes, readAll, sha256 } from "./in-browser";

/** Options of {@link contentRoundTrip}. */
export interface RoundTripOptions {
  /** Bytes in the uploaded File. */
  size: number;
  /** Upload chunk size; default the client's. */
  chunkSize?: number;
}

/** Runs the round trip against `client` in a fresh `repository`; every step asserts. */
export async function contentRoundTrip(
  client: ContainerRegistryClient,
  repository: string,
  options: RoundTripOptions,
): Promise<void> {
  const bytes = randomBytes(options.size);
  const file = new File([bytes], "payload.bin", { type: "application/octet-stream" });
  const expected = await sha256(bytes);

  const uploads: TransferProgress[] = [];
  const uploaded = await client.uploadBlob(repository, file, {
    onProgress: (progress) => uploads.push({ ...progress }),
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
  });
  expect(uploaded).toEqual({ digest: expected, size: options.size });
  expect(uploads.length).toBeGreaterThan(1);
  expect(uploads.at(-1)).toEqual({ loaded: options.size, total: options.size });
  expect(uploads.every((event, index) => index === 0 || event.loaded >= uploads[index - 1]!.loaded)).toBe(true);
  expect(await client.blobExists(repository, expected)).toBe(true);

  const config = await client.uploadBlob(repository, EMPTY_CONFIG);
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: "application/vnd.acrkit.test+type",
    config: { mediaType: EMPTY_MEDIA_TYPE, digest: config.digest, size: config.size },
    layers: [
      {
        mediaType: "application/octet-stream",
        digest: expected,
        size: options.size,
        annotations: { "org.opencontainers.image.title": file.name },
      },
    ],
  };
  const manifestDigest = await client.setManifest(repository, manifest, { tag: "v1" });
  expect(manifestDigest).toBe(await sha256(new TextEncoder().encode(JSON.stringify(manifest))));

  const byTag = await client.getManifest(repository, "v1");
  expect(byTag).toMatchObject({
    digest: manifestDigest,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    manifest,
  });
  expect(await sha256(new Uint8Array(byTag.bytes))).toBe(manifestDigest);
  expect((await client.getManifest(repository, manifestDigest)).manifest).toEqual(manifest);

  const downloads: TransferProgress[] = [];
  const download = await client.downloadBlob(repository, expected, {
    onProgress: (progress) => downloads.push({ ...progress }),
  });
  expect(download).toMatchObject({ digest: expected, size: options.size });
  const received = await readAll(download.body);
  expect(received.byteLength).toBe(options.size);
  expect(await sha256(received)).toBe(expected);
  expect(downloads.at(-1)).toEqual({ loaded: options.size, total: options.size });

  await client.deleteManifest(repository, manifestDigest);
  await expect(client.getManifest(repository, manifestDigest)).rejects.toMatchObject({ statusCode: 404 });
  await client.deleteBlob(repository, expected);
  expect(await client.blobExists(repository, expected)).toBe(false);
  // Deleting what is gone is not an error.
  await expect(client.deleteBlob(repository, expected)).resolves.toBeUndefined();
}
