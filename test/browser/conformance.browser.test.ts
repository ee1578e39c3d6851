/**
 * The conformance matrix's upload and download rows in Chromium: each registry profile (and docker-registry 2.8.2)
 * takes a blob from bytes, a File and a one-shot stream (chunks the caller sets are the Node matrix's), on a fresh client (first contact, so each meets
 * the registry's refusals itself), and gives it back verified. Sizes come from the Node matrix's expectations: over
 * GHCR's 4 MiB chunk cap, across ECR's 5 MiB chunk minimum, over Harbor's 1 MiB proxy limit.
 */
import { describe, expect, it } from "vitest";
import type { BlobSource } from "../../src/index";
import { TARGETS } from "../node/conformance/expectations";
import { adminClient, randomBytes, readAll, servers, sha256, uniqueRepository } from "./support/in-browser";

const SOURCES: Array<[string, (bytes: Uint8Array<ArrayBuffer>) => BlobSource]> = [
  ["bytes", (bytes) => bytes],
  ["a File", (bytes) => new File([bytes], "layer.bin")],
  ["a one-shot stream", (bytes) => new Blob([bytes]).stream()],
];

const ROWS = TARGETS.filter(
  (target) => target.server !== "docker-registry" && servers().registryProfiles[target.server] !== undefined,
);

describe.each(ROWS.map((target) => [`${target.server} (registry-quirks rows ${target.rows})`, target] as const))(
  "in Chromium, %s",
  (_name, target) => {
    it.each(SOURCES)("uploads %s and downloads it verified", async (_kind, make) => {
      const url = servers().registryProfiles[target.server]!;
      const client = adminClient(url);
      const repository = uniqueRepository(`browser/conformance/${target.server}`);
      const bytes = randomBytes(target.bigUpload);
      const digest = await sha256(bytes);
      expect(await client.uploadBlob(repository, make(bytes))).toEqual({ digest, size: bytes.byteLength });
      const download = await client.downloadBlob(repository, digest);
      expect(await sha256(await readAll(download.body))).toBe(digest);
    });
  },
);

describe("in Chromium, docker-registry 2.8.2 (registry-quirks rows 52, 53, 54)", () => {
  it.each(SOURCES)("uploads %s and downloads it verified", async (_kind, make) => {
    const client = adminClient(servers().dockerRegistry);
    const repository = uniqueRepository("browser/conformance/docker-registry");
    const bytes = randomBytes(1.5 * 1024 * 1024);
    const digest = await sha256(bytes);
    expect(await client.uploadBlob(repository, make(bytes))).toEqual({ digest, size: bytes.byteLength });
    const download = await client.downloadBlob(repository, digest);
    expect(await sha256(await readAll(download.body))).toBe(digest);
  });
});
