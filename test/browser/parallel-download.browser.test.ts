/**
 * The parallel download in a page, in each engine: docker-registry with CORS behind a proxy that caps the rate of
 * every blob read (the link model's per-connection cap), so that more connections pay. The blob must come out
 * verified and byte for byte, over several ranged requests that the server answered 206, some of them at once.
 */
import { describe, expect, it } from "vitest";
import { ContainerRegistryClient } from "../../src/index";
import { randomBytes, readAll, servers, sha256, uniqueRepository } from "./support/in-browser";
import { rangedReads } from "./support/ranged-reads";

const MiB = 1024 * 1024;
const { dockerRegistry, cappedRegistry } = servers();

describe("parallel download in the page, against a per-connection rate cap", () => {
  it("downloads 40 MiB twice over several connections at once, verified", { timeout: 60_000 }, async () => {
    const bytes = randomBytes(40 * MiB);
    const digest = await sha256(bytes);
    const repository = uniqueRepository("browser/parallel");
    await new ContainerRegistryClient(dockerRegistry).uploadBlob(repository, bytes);

    const reads = rangedReads();
    const client = new ContainerRegistryClient(cappedRegistry.url, undefined, {
      fetch: reads.fetch,
      downloadRangeSize: 2 * MiB,
    });
    // A first small download loads the download code (a dynamic import the page's dev server may take seconds to
    // serve on a loaded machine) before the first connection's rate is measured.
    const small = await client.uploadBlob(repository, randomBytes(1024));
    await readAll((await client.downloadBlob(repository, small.digest)).body);
    // Twice: docker-registry marks blobs cacheable for a year; the second read must reach the network over several
    // connections as the first did (in these engines a 40 MiB blob was not cached even without "no-store").
    for (const round of [1, 2]) {
      reads.reset();
      const download = await client.downloadBlob(repository, digest);
      const received = await readAll(download.body);
      expect(received.byteLength).toBe(bytes.byteLength);
      expect(await sha256(received)).toBe(digest);

      expect(reads.statuses.length, `round ${round}`).toBeGreaterThanOrEqual(4);
      expect(reads.statuses.every((status) => status === 206)).toBe(true);
      // Some ranges ran side by side, never more than HTTP/1.1's six connections per origin.
      expect(reads.mostInFlight, `round ${round}`).toBeGreaterThan(1);
      expect(reads.mostInFlight).toBeLessThanOrEqual(6);
    }
    // The gain over one connection is measured by bench/browser-parallel.ts, not asserted on a shared machine.
  });
});
