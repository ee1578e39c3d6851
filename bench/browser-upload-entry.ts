/**
 * Bundled by esbuild into the page of the Chromium upload measurement: acrkit/browser as a page imports it (its
 * default hasher included, which moves large transfers to a Web Worker), uploading a `File` while a
 * PerformanceObserver records every main-thread task longer than 50 ms.
 * @module
 */
import {
  BasicCredential,
  browserWorkerHasherFactory,
  ContainerRegistryClient,
  getDefaultHasherFactory,
} from "../src/platform/browser/index";

const MIB = 1024 * 1024;

/** What one upload measured. */
export interface UploadMeasurement {
  ms: number;
  bytes: number;
  digest: string;
  /** Durations of the main thread's long tasks (> 50 ms) during the upload, longest first. */
  longTasksMs: number[];
  /** Whether importing acrkit/browser made the Web Worker hasher the default, as it should. */
  workerHasherIsDefault: boolean;
}

/** Runs `work` while a PerformanceObserver records the main thread's long tasks; returns its time and them. */
async function observed(work: () => Promise<unknown>): Promise<{ ms: number; longTasksMs: number[] }> {
  const longTasksMs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasksMs.push(entry.duration);
  });
  observer.observe({ type: "longtask", buffered: false });
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  // Long-task entries are delivered after the task: give the last ones a moment to arrive.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return { ms, longTasksMs: longTasksMs.sort((a, b) => b - a) };
}

/**
 * The same bytes PUT by plain fetch in 8 MiB bodies, as a `Uint8Array` and as a `Blob`, to a sink on the page's
 * origin: what the body kind alone costs the main thread, whatever a client does around it.
 */
export async function putBodies(
  mib: number,
): Promise<Record<"Uint8Array" | "Blob", { ms: number; longTasksMs: number[] }>> {
  const body = new Uint8Array(8 * MIB);
  const put = (make: () => BodyInit) =>
    observed(async () => {
      for (let sent = 0; sent < mib; sent += 8) await fetch("/sink", { method: "PUT", body: make() });
    });
  return { Uint8Array: await put(() => body), Blob: await put(() => new Blob([body])) };
}

/** Uploads the File picked in the page's file input to `registry` and reports the time and the long tasks meanwhile. */
export async function uploadFile(
  registry: string,
  username: string,
  password: string,
  repository: string,
): Promise<UploadMeasurement> {
  const file = (document.getElementById("file") as HTMLInputElement).files![0]!;
  const client = new ContainerRegistryClient(registry, new BasicCredential(username, password));
  let digest = "";
  const { ms, longTasksMs } = await observed(async () => {
    digest = (await client.uploadBlob(repository, file)).digest;
  });
  const workerHasherIsDefault = getDefaultHasherFactory() === browserWorkerHasherFactory;
  return { ms, bytes: file.size, digest, longTasksMs, workerHasherIsDefault };
}
