/**
 * Where a hashing worker thread starts to pay: verified downloads of blobs of growing size from docker-registry on
 * loopback (where the CPU, not the link, is the limit), hashed on the receiving thread (node:crypto) against hashed
 * on a worker beyond several thresholds (0: from the first byte). A worker costs a thread's start-up (tens of
 * milliseconds, overlapped with the transfer from half the threshold on) and a copy; it saves hashing on the
 * receiving thread. acrkit/node's threshold (DEFAULT_WORKER_HASH_THRESHOLD) is chosen from this.
 *
 * Usage: `node --import tsx bench/hash-threshold.ts [rounds]`; prints a table and one JSON line.
 * @module
 */
import { join } from "node:path";
import { startDockerRegistry } from "../test/support/docker-registry";
import { ContainerRegistryClient, type HasherFactory } from "../src/platform/node/index";
import { nativeHasherFactory } from "../src/platform/node/native-hasher";
import { createWorkerHasherFactory } from "../src/platform/node/worker-hasher";
import { curlUploadScript, runCommand } from "./lib/external";
import { ensureRandomFile } from "./lib/fixtures";
import { ROOT } from "./lib/spawn";
import { mbPerSecond, median } from "./lib/stats";

const MIB = 1024 * 1024;
const rounds = Number(process.argv[2] ?? 7);
const sizes = [2, 4, 8, 16, 32, 64, 128].map((mib) => mib * MIB);
const THRESHOLDS = [0, 8, 16, 32].map((mib) => mib * MIB);
const workerName = (threshold: number) => `worker beyond ${threshold / MIB} MiB`;
const hashers: Record<string, HasherFactory> = {
  "receiving thread": nativeHasherFactory,
  ...Object.fromEntries(
    THRESHOLDS.map((threshold) => [workerName(threshold), createWorkerHasherFactory({ threshold })]),
  ),
};

const docker = await startDockerRegistry();
try {
  const blobs = [];
  for (const size of sizes) {
    const blob = ensureRandomFile(join(ROOT, `bench/.work/blob-${size / MIB}m.bin`), size);
    await runCommand(curlUploadScript(docker.url, "bench/threshold", blob.path, blob.digest));
    blobs.push(blob);
  }
  const times = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const blob of blobs) {
      const names = Object.keys(hashers);
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!;
        // A fresh client each time: no connection reuse favours whichever runs second.
        const client = new ContainerRegistryClient(docker.url, undefined, { hasher: hashers[name]! });
        const started = performance.now();
        const download = await client.downloadBlob("bench/threshold", blob.digest);
        const reader = download.body.getReader();
        while (!(await reader.read()).done);
        const key = `${blob.size}|${name}`;
        // The first round warms up the JIT, the connection code and the worker script's compilation cache.
        if (round > 0) times.set(key, [...(times.get(key) ?? []), performance.now() - started]);
      }
    }
  }
  const results = sizes.map((size) => {
    const local = median(times.get(`${size}|receiving thread`)!);
    const workers = Object.fromEntries(
      THRESHOLDS.map((threshold) => [
        workerName(threshold),
        local / median(times.get(`${size}|${workerName(threshold)}`)!),
      ]),
    );
    return { mib: size / MIB, receivingThreadMbps: mbPerSecond(size, local), speedupOverReceivingThread: workers };
  });
  for (const r of results) {
    const cells = Object.entries(r.speedupOverReceivingThread).map(
      ([name, speedup]) => `${name} ${speedup.toFixed(2)}×`,
    );
    process.stderr.write(
      `${String(r.mib).padStart(4)} MiB  receiving thread ${r.receivingThreadMbps.toFixed(0).padStart(5)} MB/s  ${cells.join("  ")}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ rounds: rounds - 1, results })}\n`);
} finally {
  await docker.stop();
}
