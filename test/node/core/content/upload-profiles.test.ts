/**
 * Uploads of every source kind against each registry profile of the emulator: the upload falls back from what a
 * registry refuses (413, a second PATCH, a small chunk) on first contact, and the client remembers it, so that its
 * next upload is sent the way the registry takes it at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegistryProfile } from "../../../../src/emulator/index";
import { fileSource, type BlobSource } from "../../../../src/platform/node/index";
import {
  patterned,
  readAll,
  sha256,
  startRegistry,
  uniqueRepository,
  uploadRequests,
  type TestRegistry,
} from "./support";

/** Over put-limit's 20,000,000-byte request limit and over chunk-min's 5 MiB minimum, with a short last chunk. */
const SIZE = 21 * 1024 * 1024 + 4321;
const PROFILES: RegistryProfile[] = ["acr", "distribution", "single-request", "chunk-min", "put-limit"];

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "acrkit-profiles-"));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Every kind of source, each made fresh from the same bytes. */
function sources(bytes: Uint8Array): [string, () => BlobSource][] {
  const stream = () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  return [
    ["bytes", () => bytes],
    ["a Blob", () => new Blob([bytes as Uint8Array<ArrayBuffer>])],
    [
      "a file",
      () => {
        const path = join(directory, `source-${Math.random().toString(36).slice(2)}.bin`);
        writeFileSync(path, bytes);
        return fileSource(path);
      },
    ],
    ["a ReadableStream", stream],
    [
      "an AsyncIterable",
      () =>
        (async function* () {
          for (let offset = 0; offset < bytes.byteLength; offset += 3 * 1024 * 1024 + 1)
            yield bytes.subarray(offset, offset + 3 * 1024 * 1024 + 1);
        })(),
    ],
    ["a sized stream", () => ({ stream: stream(), size: bytes.byteLength })],
  ];
}

/** Statuses that mean a registry refused how the bytes were sent. */
const REFUSALS = /^(PATCH|PUT) (400|413|416)$/;

/**
 * What each profile refuses on first contact, by source: put-limit's 413 for a body over 20,000,000 bytes (bytes go
 * in one PUT, a Blob and a file in one streamed PATCH; streams go in chunks under the limit), single-request's 416
 * on the second PATCH of a stream. ACR and distribution take every way; chunk-min announces its minimum before the
 * first chunk, so it refuses none either.
 */
const FIRST_CONTACT: Partial<Record<RegistryProfile, Record<string, string[]>>> = {
  "put-limit": { bytes: ["PUT 413"], "a Blob": ["PATCH 413"], "a file": ["PATCH 413"] },
  "single-request": {
    "a ReadableStream": ["PATCH 416"],
    "an AsyncIterable": ["PATCH 416"],
    "a sized stream": ["PATCH 416"],
  },
};

describe.each(PROFILES)("uploads against the emulator's %s profile", (profile) => {
  let registry: TestRegistry;
  const bytes = patterned(SIZE, PROFILES.indexOf(profile) + 7);
  beforeAll(async () => {
    registry = await startRegistry("emulator", { profile });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it.each(sources(bytes))(
    "uploads %s on first contact (refused as the profile refuses it) and again, the second time without a refusal",
    async (kind, make) => {
      const { client, requests } = registry.connect();
      for (const round of ["first", "second"]) {
        const repository = uniqueRepository(`${profile}-${round}`);
        requests.length = 0;
        expect(await client.uploadBlob(repository, make())).toEqual({ digest: sha256(bytes), size: SIZE });
        // The emulator's own log of what it answered: the first contact was refused, so the upload fell back.
        const refused = uploadRequests(requests).filter((line) => REFUSALS.test(line));
        expect(refused).toEqual(round === "first" ? (FIRST_CONTACT[profile]?.[kind] ?? []) : []);
        const download = await client.downloadBlob(repository, sha256(bytes));
        expect(sha256(await readAll(download.body))).toBe(sha256(bytes));
      }
    },
  );

  it("sends a chunk size the caller set, raised to the registry's OCI-Chunk-Min-Length", async () => {
    const { client, requests } = registry.connect();
    const repository = uniqueRepository(`${profile}-chunks`);
    const result = await client.uploadBlob(repository, bytes, { chunkSize: 1024 * 1024 });
    expect(result.digest).toBe(sha256(bytes));
    const patches = uploadRequests(requests).filter((line) => line === "PATCH 202").length;
    if (profile === "chunk-min") expect(patches).toBe(Math.ceil(SIZE / (5 * 1024 * 1024)));
    if (profile === "acr" || profile === "distribution") expect(patches).toBe(Math.ceil(SIZE / (1024 * 1024)));
  });
});
