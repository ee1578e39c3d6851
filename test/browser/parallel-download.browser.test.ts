/**
 * The parallel download in a page, in each engine: docker-registry with CORS behind a proxy that caps the rate of
 * every blob read (the link model's per-connection cap), so that more connections pay. The blob must come out
 * verified and byte for byte, over several ranged requests that the server answered 206, some of them at once.
 */
import { describe, expect, it } from "vitest";
import { ContainerRegistryClient } from "../../src/index";
import { randomBytes, readAll, servers, sha256, uniqueRepository } from "./support/in-browser";

const MiB = 1024 * 1024;
const { dockerRegistry, cappedRegistry } = servers();

describe("parallel download in the page, against a per-connection rate cap", () => {
  it("downloads 48 MiB over several connections at once, verified, with the client's defaults", { timeout: 60_000 }, async () => {
    const bytes = randomBytes(48 * MiB);
    const digest = await sha256(bytes);
    const repository = uniqueRepository("browser/parallel");
    await new ContainerRegistryClient(dockerRegistry).uploadBlob(repository, bytes);

    const ranged: Array<{ range: string; status: number; start: number; end: number }> = [];
    const recording = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const start = performance.now();
      const response = await fetch(request);
      const range = request.headers.get("range");
      if (range === null) return response;
      const entry = { range, status: response.status, start, end: Number.POSITIVE_INFINITY };
      ranged.push(entry);
      // The range's end: when its body is read to the last byte.
      const body = response.body!.pipeThrough(new TransformStream({ flush: () => void (entry.end = performance.now()) }));
      return new Response(body, response);
    };
    const client = new ContainerRegistryClient(cappedRegistry.url, undefined, { fetch: recording });
    // A first small download loads the download code (a dynamic import the page's dev server may take seconds to
    // serve on a loaded machine) before the first connection's rate is measured.
    const small = await client.uploadBlob(repository, randomBytes(1024));
    await readAll((await client.downloadBlob(repository, small.digest)).body);
    const download = await client.downloadBlob(repository, digest);
    const received = await readAll(download.body);
    expect(received.byteLength).toBe(bytes.byteLength);
    expect(await sha256(received)).toBe(digest);

    expect(ranged.length).toBeGreaterThanOrEqual(3);
    expect(ranged.every((entry) => entry.status === 206)).toBe(true);
    // Some ranges ran side by side: the most in flight at one time is above one and within HTTP/1.1's six per origin.
    const inFlight = ranged.map((entry) => ranged.filter((other) => other.start <= entry.start && entry.start < other.end).length);
    expect(Math.max(...inFlight)).toBeGreaterThan(1);
    expect(Math.max(...inFlight)).toBeLessThanOrEqual(6);
    // The gain over one connection is measured in bench/browser-parallel.ts, not asserted on a shared machine.
  });
});
