/**
 * Bundled by esbuild into the page of the parallel bench (bench/browser-parallel.ts): one verified download through
 * acrkit/browser, counting the ranged requests the page sent and the most of them in flight at once.
 * @module
 */
import { ContainerRegistryClient } from "../src/platform/browser/index";
import { rangedReads } from "../test/browser/support/ranged-reads";

/** What one download measured in the page. */
export interface ParallelMeasurement {
  ms: number;
  digest: string;
  bytes: number;
  ranged: number;
  /** The most ranged requests between sending and the end of their body at one time. */
  mostInFlight: number;
}

/** Downloads `digest` from `registry` (anonymous), verified, reading the body to the end without keeping it. */
export async function download(
  registry: string,
  repository: string,
  digest: string,
  maxConnections: number,
): Promise<ParallelMeasurement> {
  const reads = rangedReads();
  const client = new ContainerRegistryClient(registry, undefined, { fetch: reads.fetch, maxConnections });
  const started = performance.now();
  const result = await client.downloadBlob(repository, digest);
  const reader = result.body.getReader();
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
  return {
    ms: performance.now() - started,
    digest: result.digest,
    bytes,
    ranged: reads.statuses.length,
    mostInFlight: reads.mostInFlight,
  };
}
