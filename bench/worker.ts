/**
 * Runs one contender on one scenario, in a process of its own, and prints one JSON line: the time of the work
 * itself (process start-up excluded), the bytes moved, the RSS baseline and peak, and the HTTP requests sent.
 *
 * A process per run keeps contenders from sharing a heap, a connection pool or a JIT warm-up, and makes the peak
 * RSS (VmHWM) belong to one transfer only.
 *
 * Usage: `node --expose-gc --import tsx bench/worker.ts '<task JSON>'`.
 * @module
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  ContainerRegistryClient,
  getDefaultHasherFactory,
  wasmHasherFactory,
  type ContainerRegistryClientOptions,
  type HasherFactory,
} from "../src/platform/node/index";
import { downloadBlobToFile } from "../src/platform/node/download-to-file";
import { fileSource } from "../src/platform/node/file-source";
import { nativeHasherFactory } from "../src/platform/node/native-hasher";
import { workerHasherFactory } from "../src/platform/node/worker-hasher";
import { getDefaultFetch } from "../src/core/http/default-fetch";
import { baselineRss, peakRss } from "./lib/memory";
import { InFlight, pool } from "./lib/pool";
import type { Task, WorkerResult } from "./lib/tasks";

/**
 * The Azure SDK, loaded only by the tasks that run it: in an acrkit task its modules would only enlarge the heap that
 * every collection walks (on loopback the collector is the receiving thread's largest cost: bench/README.md, "The
 * loopback verified download, again").
 */
const azure = () => import("@azure/container-registry");

/** An @azure/identity-compatible credential: the emulator accepts any non-empty AAD token. */
const credential = { getToken: async () => ({ token: "x", expiresOnTimestamp: Date.now() + 3600e3 }) };

/** Requests and in-flight blob transfers seen by an acrkit client's fetch. */
class Counters {
  requests = 0;
  readonly transfers = new InFlight();
}

/** Whether importing acrkit/node made the worker hasher (node:crypto, on a thread beyond a threshold) the default. */
const nodeEntryInstallsWorkerHasher = getDefaultHasherFactory() === workerHasherFactory;
/** Whether the worker hasher's script is where it looks for it (next to this bundle); without it, it hashes locally. */
const hashWorkerScriptFound =
  existsSync(new URL("./node-hash-worker.js", import.meta.url)) || !import.meta.url.endsWith(".mjs");

function hasherOf(impl: string): HasherFactory {
  // The native contender is what acrkit/node promises; it is named explicitly so that a missing default shows as
  // a flag in the results rather than silently turning this contender into the hash-wasm one. "acrkit-sync" is
  // node:crypto on the receiving thread only, as acrkit/node hashed before the worker hasher.
  if (impl === "acrkit-wasm") return wasmHasherFactory;
  return impl === "acrkit-sync" ? nativeHasherFactory : workerHasherFactory;
}

function acrkitClient(
  task: {
    url: string;
    impl: string;
    emulator?: boolean;
    chunkSize?: number;
    concurrency?: number;
    maxConnections?: number;
  },
  counters: Counters,
  track = false,
): ContainerRegistryClient {
  // Sends on the platform's default, as a client without a `fetch` option does (node:http(s) on Node).
  const platformFetch = getDefaultFetch();
  const countingFetch = async (input: Request, init?: RequestInit): Promise<Response> => {
    counters.requests++;
    const transfer = track && /\/blobs\//.test(new URL(input.url).pathname) && input.method !== "HEAD";
    if (!transfer) return platformFetch(input, init);
    const end = counters.transfers.begin();
    try {
      const response = await platformFetch(input, init);
      return input.method === "GET" ? counters.transfers.trackBody(response, end) : (end(), response);
    } catch (error) {
      end();
      throw error;
    }
  };
  const options: ContainerRegistryClientOptions = {
    fetch: countingFetch,
    hasher: hasherOf(task.impl),
    ...(task.chunkSize ? { chunkSize: task.chunkSize } : {}),
    ...(task.concurrency ? { concurrency: task.concurrency } : {}),
    ...(task.maxConnections ? { maxConnections: task.maxConnections } : {}),
  };
  return new ContainerRegistryClient(task.url, task.emulator ? credential : undefined, options);
}

async function serverRequests(url: string): Promise<number> {
  const response = await fetch(`${url}/__bench/requests`);
  return ((await response.json()) as { count: number }).count;
}

async function drain(body: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  const reader = body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.byteLength;
  return bytes;
}

async function drainNode(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).byteLength;
  return bytes;
}

interface Layout {
  manifest: Buffer;
  mediaType: string;
  blobs: Array<{ digest: string; path: string; size: number }>;
}

/** Reads an OCI image layout with one manifest: its manifest bytes and the files of its config and layers. */
function readLayout(dir: string): Layout {
  const blobPath = (digest: string) => join(dir, "blobs", ...digest.split(":"));
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as {
    manifests: Array<{ digest: string; mediaType: string }>;
  };
  const entry = index.manifests[0]!;
  const manifest = readFileSync(blobPath(entry.digest));
  const parsed = JSON.parse(manifest.toString("utf8")) as {
    config: { digest: string; size: number };
    layers: Array<{ digest: string; size: number }>;
  };
  const blobs = [parsed.config, ...parsed.layers].map((d) => ({
    digest: d.digest,
    size: d.size,
    path: blobPath(d.digest),
  }));
  return { manifest, mediaType: entry.mediaType, blobs };
}

async function run(task: Task): Promise<WorkerResult> {
  const counters = new Counters();
  const before = task.emulator ? await serverRequests(task.url) : 0;
  let bytes = 0;
  let baseline = 0;
  let started = 0;
  const begin = () => {
    baseline = baselineRss();
    started = performance.now();
    const gc = (globalThis as { gc?: () => void }).gc;
    if (task.collectEveryMs && gc) setInterval(gc, task.collectEveryMs).unref();
  };
  const extra: Record<string, unknown> = { nodeEntryInstallsWorkerHasher, hashWorkerScriptFound };

  switch (task.kind) {
    case "upload": {
      if (task.impl === "azure") {
        const client = new (await azure()).ContainerRegistryContentClient(task.url, task.repository, credential);
        begin();
        const result = await client.uploadBlob(createReadStream(task.file, { highWaterMark: 1024 * 1024 }));
        bytes = result.sizeInBytes;
        extra.digest = result.digest;
      } else {
        const client = acrkitClient(task, counters);
        begin();
        const result = await client.uploadBlob(task.repository, fileSource(task.file));
        bytes = result.size;
        extra.digest = result.digest;
      }
      break;
    }
    case "download": {
      if (task.impl === "azure") {
        const client = new (await azure()).ContainerRegistryContentClient(task.url, task.repository, credential);
        begin();
        const result = await client.downloadBlob(task.digest);
        bytes = await drainNode(result.content);
      } else {
        const client = acrkitClient(task, counters);
        begin();
        if (task.toFile) {
          bytes = (await downloadBlobToFile(client, task.repository, task.digest, task.toFile)).size;
        } else {
          const result = await client.downloadBlob(task.repository, task.digest);
          bytes = await drain(result.body);
        }
      }
      break;
    }
    case "push-image": {
      const layout = readLayout(task.layout);
      bytes = layout.blobs.reduce((sum, blob) => sum + blob.size, 0);
      if (task.impl === "azure") {
        const client = new (await azure()).ContainerRegistryContentClient(task.url, task.repository, credential);
        begin();
        // The SDK has no multi-blob operation; a user of it uploads one blob after the other.
        for (const blob of layout.blobs) await client.uploadBlob(createReadStream(blob.path));
        await client.setManifest(layout.manifest, { tag: task.tag, mediaType: layout.mediaType });
      } else {
        const client = acrkitClient(task, counters, true);
        begin();
        await pool(layout.blobs, task.concurrency, (blob) => client.uploadBlob(task.repository, fileSource(blob.path)));
        await client.setManifest(task.repository, layout.manifest, { tag: task.tag, mediaType: layout.mediaType });
      }
      break;
    }
    case "pull-image": {
      mkdirSync(task.out, { recursive: true });
      if (task.impl === "azure") {
        const client = new (await azure()).ContainerRegistryContentClient(task.url, task.repository, credential);
        begin();
        const manifest = await client.getManifest(task.tag);
        const layers = (manifest.manifest as { layers: Array<{ digest: string; size: number }> }).layers;
        for (const layer of layers) {
          const result = await client.downloadBlob(layer.digest);
          await pipeline(result.content, createWriteStream(join(task.out, layer.digest.replace(":", "-"))));
          bytes += layer.size;
        }
      } else {
        const client = acrkitClient(task, counters, true);
        begin();
        const manifest = await client.getManifest(task.repository, task.tag);
        const layers = (manifest.manifest as { layers: Array<{ digest: string; size: number }> }).layers;
        await pool(layers, task.concurrency, async (layer) => {
          const result = await downloadBlobToFile(
            client,
            task.repository,
            layer.digest,
            join(task.out, layer.digest.replace(":", "-")),
          );
          bytes += result.size;
        });
      }
      break;
    }
    case "list-tags": {
      let pages = 0;
      if (task.impl === "azure") {
        const client = new (await azure()).ContainerRegistryClient(task.url, credential);
        begin();
        for await (const page of client
          .getArtifact(task.repository, task.anyTag)
          .listTagProperties()
          .byPage({ maxPageSize: task.pageSize })) {
          pages++;
          bytes += page.length;
        }
      } else {
        const client = acrkitClient(task, counters);
        begin();
        for await (const page of client.listTagProperties(task.repository).byPage({ maxPageSize: task.pageSize })) {
          pages++;
          bytes += page.length;
        }
      }
      extra.pages = pages;
      extra.items = bytes;
      break;
    }
    case "metadata": {
      const tag = (i: number) => `t${String(i % task.tags).padStart(5, "0")}`;
      if (task.impl === "azure") {
        const { ContainerRegistryClient: AzureRegistryClient } = await azure();
        const make = () => new AzureRegistryClient(task.url, credential);
        const warm = make();
        if (!task.cold) await warm.getArtifact(task.repository, tag(0)).getTagProperties(tag(0));
        const start = task.emulator ? await serverRequests(task.url) : 0;
        begin();
        for (let i = 0; i < task.calls; i++) {
          const client = task.cold ? make() : warm;
          await client.getArtifact(task.repository, tag(i)).getTagProperties(tag(i));
        }
        extra.startCount = start;
      } else {
        const warm = acrkitClient(task, counters);
        if (!task.cold) await warm.getTagProperties(task.repository, tag(0));
        const start = task.emulator ? await serverRequests(task.url) : 0;
        begin();
        for (let i = 0; i < task.calls; i++) {
          const client = task.cold ? acrkitClient(task, counters) : warm;
          await client.getTagProperties(task.repository, tag(i));
        }
        extra.startCount = start;
      }
      break;
    }
    case "ranged-download": {
      begin();
      bytes = await rangedDownload(
        task.url,
        task.repository,
        task.digest,
        task.strategy,
        task.rangeSize,
        task.parallel,
      );
      break;
    }
  }
  const ms = performance.now() - started;
  const peak = peakRss();
  const after = task.emulator ? await serverRequests(task.url) : 0;
  // The control requests are not in the emulator's log; the warm-up calls are before `startCount`.
  const from = typeof extra.startCount === "number" ? extra.startCount : before;
  const requests = task.emulator ? after - from : counters.requests;
  return {
    ms,
    bytes,
    rssBaselineMiB: baseline,
    rssPeakMiB: peak,
    rssGrowthMiB: peak - baseline,
    requests,
    peakInFlight: counters.transfers.peak,
    extra,
  };
}

/**
 * Download strategies, with raw fetch and node:crypto so that only the strategy differs: one streamed GET, ranged
 * GETs one after another, or `parallel` ranged GETs in flight with the hash fed in order.
 */
async function rangedDownload(
  url: string,
  repository: string,
  digest: string,
  strategy: string,
  rangeSize: number,
  parallel: number,
): Promise<number> {
  const blobUrl = `${url}/v2/${repository}/blobs/${digest}`;
  const hash = createHash("sha256");
  let bytes = 0;
  if (strategy === "single") {
    const response = await fetch(blobUrl);
    const reader = response.body!.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      hash.update(next.value);
      bytes += next.value.byteLength;
    }
  } else {
    const head = await fetch(blobUrl, { method: "HEAD" });
    const size = Number(head.headers.get("content-length"));
    const fetchRange = async (start: number) => {
      const end = Math.min(start + rangeSize, size) - 1;
      const response = await fetch(blobUrl, { headers: { range: `bytes=${start}-${end}` } });
      return new Uint8Array(await response.arrayBuffer());
    };
    const starts: number[] = [];
    for (let start = 0; start < size; start += rangeSize) starts.push(start);
    const width = strategy === "ranged-parallel" ? parallel : 1;
    const pending: Array<Promise<Uint8Array>> = [];
    let nextIndex = 0;
    // A sliding window: at most `width` ranges in memory, hashed strictly in order.
    while (nextIndex < starts.length && pending.length < width) pending.push(fetchRange(starts[nextIndex++]!));
    while (pending.length > 0) {
      const chunk = await pending.shift()!;
      if (nextIndex < starts.length) pending.push(fetchRange(starts[nextIndex++]!));
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
  }
  if (`sha256:${hash.digest("hex")}` !== digest)
    throw new Error(`ranged download (${strategy}) produced the wrong digest`);
  return bytes;
}

const task = JSON.parse(process.argv[2]!) as Task;
run(task).then(
  (result) => {
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
    // Keep-alive sockets and SDK timers must not hold the process open.
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
