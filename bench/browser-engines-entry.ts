/**
 * Bundled by esbuild into the page of the per-engine bench (bench/lib/browser-engines.ts): acrkit/browser as a page
 * imports it, uploading and downloading in whichever engine opened the page, and saving a large verified download
 * through `saveBlob`.
 * @module
 */
import { BasicCredential, ContainerRegistryClient, saveBlob } from "../src/platform/browser/index";

const MIB = 1024 * 1024;

/** What one transfer measured in the page. */
export interface EngineMeasurement {
  ms: number;
  digest: string;
  /** The longest main-thread task (PerformanceObserver `longtask`), or null where the engine does not report them. */
  longestTaskMs: number | null;
  /** The longest gap between two 10 ms timer ticks: the page's responsiveness, in every engine. */
  longestGapMs: number;
}

/** Runs `work` while timer ticks and (where reported) long tasks are recorded. */
async function observed<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; longestTaskMs: number | null; longestGapMs: number }> {
  const tasks: number[] = [];
  const reportsLongTasks = PerformanceObserver.supportedEntryTypes.includes("longtask");
  const observer = reportsLongTasks
    ? new PerformanceObserver((list) => tasks.push(...list.getEntries().map((entry) => entry.duration)))
    : undefined;
  observer?.observe({ type: "longtask" });
  let last = performance.now();
  let longestGapMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  clearInterval(ticker);
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer?.disconnect();
  return { value, ms, longestTaskMs: reportsLongTasks ? Math.max(0, ...tasks) : null, longestGapMs };
}

function client(registry: string, username: string, password: string): ContainerRegistryClient {
  return new ContainerRegistryClient(registry, new BasicCredential(username, password));
}

/** Uploads a `mib` MiB File of random bytes made in the page. */
export async function upload(
  registry: string,
  username: string,
  password: string,
  mib: number,
): Promise<EngineMeasurement> {
  const bytes = new Uint8Array(mib * MIB);
  for (let offset = 0; offset < bytes.byteLength; offset += 65_536)
    crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  const file = new File([bytes], "bench.bin");
  const { value, ...rest } = await observed(
    async () => (await client(registry, username, password).uploadBlob("bench/engines", file)).digest,
  );
  return { digest: value, ...rest };
}

/** Downloads `digest`, verified, reading the body to the end without keeping it. */
export async function download(
  registry: string,
  username: string,
  password: string,
  digest: string,
): Promise<EngineMeasurement> {
  const { value, ...rest } = await observed(async () => {
    const result = await client(registry, username, password).downloadBlob("bench/engines", digest);
    const reader = result.body.getReader();
    while (!(await reader.read()).done);
    return result.digest;
  });
  return { digest: value, ...rest };
}

/** Saves `digest` through saveBlob without the picker (the link's click is caught): how, how big, how long. */
export async function saveLarge(
  registry: string,
  username: string,
  password: string,
  digest: string,
): Promise<{ ms: number; path: string; size: number }> {
  let offered: Blob | undefined;
  const create = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob: Blob | MediaSource) => ((offered = blob as Blob), create(blob));
  HTMLAnchorElement.prototype.click = () => undefined;
  delete (globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  const started = performance.now();
  await saveBlob(await client(registry, username, password).downloadBlob("bench/engines", digest), "large.bin");
  const ms = performance.now() - started;
  const path =
    offered instanceof File && offered.name.startsWith("acrkit-save-") ? "origin-private file" : "Blob in memory";
  const size = offered?.size ?? 0;
  offered = undefined;
  return { ms, path, size };
}
