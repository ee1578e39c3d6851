/**
 * Bundled by esbuild into the page of the parallel bench (bench/browser-parallel.ts): one verified download through
 * acrkit/browser, counting the ranged requests the page sent and the most of them in flight at once.
 * @module
 */
import { ContainerRegistryClient } from "../src/platform/browser/index";

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
export async function download(registry: string, repository: string, digest: string, maxConnections: number): Promise<ParallelMeasurement> {
  let ranged = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const counting = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.headers.has("range")) return fetch(request);
    ranged++;
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    let open = true;
    const ended = () => void (open && ((open = false), inFlight--));
    const response = await fetch(request).catch((error: unknown) => (ended(), Promise.reject(error)));
    const reader = response.body!.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read().catch((error: unknown) => (ended(), Promise.reject(error)));
        if (done) {
          ended();
          controller.close();
        } else controller.enqueue(value);
      },
      cancel: (reason) => (ended(), reader.cancel(reason)),
    });
    return new Response(body, response);
  };
  const client = new ContainerRegistryClient(registry, undefined, { fetch: counting, maxConnections });
  const started = performance.now();
  const result = await client.downloadBlob(repository, digest);
  const reader = result.body.getReader();
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
  return { ms: performance.now() - started, digest: result.digest, bytes, ranged, mostInFlight };
}
