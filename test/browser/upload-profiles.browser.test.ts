/**
 * Uploads from a page against each registry profile of the emulator: a `File`, bytes and a stream, on first contact
 * (the upload falls back from what the registry refuses) and again (the client remembers it).
 */
import { describe, expect, it } from "vitest";
import type { BlobSource, RequestLogEntry } from "../../src/index";
import { adminClient, randomBytes, readAll, servers, sha256, uniqueRepository } from "./support/in-browser";

/** Over put-limit's 20,000,000-byte request limit and chunk-min's 5 MiB minimum, with a short last chunk. */
const SIZE = 21 * 1024 * 1024 + 999;
const bytes = randomBytes(SIZE);
const SOURCES: Array<[string, () => BlobSource]> = [
  ["a File", () => new File([bytes], "layer.bin")],
  ["bytes", () => bytes],
  ["a ReadableStream", () => new Blob([bytes]).stream()],
];
/** Statuses that mean a registry refused how the bytes were sent. */
const REFUSED = new Set([400, 413, 416]);
/**
 * What each profile refuses on first contact, by source: put-limit's 413 for bytes over 20,000,000 in one PUT;
 * single-request's 416 on the second PATCH of a File or a stream (Chromium streams no request body over HTTP/1.1, so
 * a File goes in chunks, unlike in Node: test/node/core/content/upload-profiles.test.ts). The others refuse none.
 */
const FIRST_CONTACT: Record<string, Record<string, string[]>> = {
  "put-limit": { bytes: ["PUT 413"] },
  "single-request": { "a File": ["PATCH 416"], "a ReadableStream": ["PATCH 416"] },
};

describe.each(Object.entries(servers().profiles))(
  "uploads from Chromium to the emulator's %s profile",
  (profile, url) => {
    it.each(SOURCES)(
      "uploads %s on first contact (refused as the profile refuses it) and again, the second time without a refusal",
      async (kind, make) => {
        const log: RequestLogEntry[] = [];
        const client = adminClient(url, { logger: (entry) => log.push(entry) });
        const digest = await sha256(bytes);
        for (const round of ["first", "second"]) {
          const repository = uniqueRepository(`browser/${profile}-${round}`);
          log.length = 0;
          expect(await client.uploadBlob(repository, make())).toEqual({ digest, size: SIZE });
          const refused = log.filter(
            (entry) => (entry.method === "PATCH" || entry.method === "PUT") && REFUSED.has(entry.status),
          );
          expect(refused.map((entry) => `${entry.method} ${entry.status}`)).toEqual(
            round === "first" ? (FIRST_CONTACT[profile]?.[kind] ?? []) : [],
          );
          const download = await client.downloadBlob(repository, digest);
          expect(await sha256(await readAll(download.body))).toBe(digest);
        }
      },
    );
  },
);
