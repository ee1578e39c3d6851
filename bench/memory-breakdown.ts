/**
 * Where a download's peak memory goes: acrkit/node's verified download of a blob through the field link (100 ms, 12.5
 * MB/s per connection, 50 MB/s in total), in parallel and on one connection, and `downloadBlobToFile`, each as usual
 * and with the collector run every 25 ms. The difference is garbage (received pieces nobody holds any more) that V8
 * frees only at its next collection; what remains is what the download keeps alive (bench/README.md, "Where the
 * memory goes"). Usage: `tsx bench/memory-breakdown.ts [--mib N] [--rounds N]`.
 * @module
 */
import { join } from "node:path";
import { startDockerRegistry } from "../test/support/docker-registry";
import { curlUploadScript, runCommand } from "./lib/external";
import { ensureRandomFile } from "./lib/fixtures";
import { startLink } from "./lib/link";
import { FIELD_LINK } from "./lib/link-shape";
import { bundleWorker, ROOT, runWorker } from "./lib/servers";
import type { Task } from "./lib/tasks";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const mib = Number(option("--mib", "128"));
const rounds = Number(option("--rounds", "2"));

await bundleWorker();
const registry = await startDockerRegistry();
const link = await startLink(new URL(registry.url).host, FIELD_LINK);
try {
  const blob = ensureRandomFile(join(ROOT, "bench/.work", `blob-${mib}m.bin`), mib * 1024 * 1024);
  await runCommand(curlUploadScript(registry.url, "bench/memory", blob.path, blob.digest));
  const task: Task = {
    kind: "download",
    impl: "acrkit-native",
    url: `http://${link.host}`,
    emulator: false,
    repository: "bench/memory",
    digest: blob.digest,
  };
  const contenders: Record<string, Partial<Task>> = {
    "verified download, parallel": {},
    "verified download, one connection": { maxConnections: 1 },
    downloadBlobToFile: { toFile: join(ROOT, "bench/.work/memory-breakdown.bin") },
  };
  const peaks: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, extra] of Object.entries(contenders)) {
      for (const collectEveryMs of [undefined, 25]) {
        const label = `${name}${collectEveryMs ? ", collector every 25 ms" : ""}`;
        const result = await runWorker(
          { ...task, ...extra, ...(collectEveryMs ? { collectEveryMs } : {}) } as Task,
          {},
        );
        (peaks[label] ??= []).push(result.rssGrowthMiB);
      }
    }
  }
  for (const [label, values] of Object.entries(peaks)) {
    const sorted = [...values].sort((a, b) => a - b);
    process.stdout.write(
      `${label.padEnd(58)} RSS above baseline: median +${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} MiB  (${values.map((v) => v.toFixed(1)).join(", ")})\n`,
    );
  }
} finally {
  await link.close();
  await registry.stop();
}
