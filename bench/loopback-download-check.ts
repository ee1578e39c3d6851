/**
 * The loopback verified download alone: acrkit/node's `downloadBlob` (digest verified) against curl | openssl dgst,
 * 1 GiB from docker-registry 2.8.2, alternating rounds, medians (bench/README, "The loopback verified download,
 * again"). Usage: `tsx bench/loopback-download-check.ts [--rounds N] [--mib N] [--prof DIR]` (`--prof`: the acrkit
 * workers under `node --cpu-prof`).
 * @module
 */
import { join } from "node:path";
import { startDockerRegistry } from "../test/support/docker-registry";
import { curlUploadScript, curlVerifiedDownloadScript, runCommand } from "./lib/external";
import { ensureRandomFile } from "./lib/fixtures";
import { bundleWorker, ROOT, runWorker } from "./lib/servers";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const rounds = Number(option("--rounds", "3"));
const prof = args.includes("--prof")
  ? ["--cpu-prof", "--cpu-prof-dir", option("--prof", "bench/.work/prof-download")]
  : [];
const size = Number(option("--mib", "1024")) * 1024 * 1024;

await bundleWorker();
const registry = await startDockerRegistry();
try {
  const big = ensureRandomFile(join(ROOT, "bench/.work", `blob-${size / 1024 / 1024}m.bin`), size);
  await runCommand(curlUploadScript(registry.url, "bench/big", big.path, big.digest));
  const rates: Record<string, number[]> = {
    "curl | openssl dgst": [],
    "acrkit/node": [],
    "acrkit, maxConnections 1": [],
  };
  for (let round = 0; round < rounds; round++) {
    const curl = await runCommand(curlVerifiedDownloadScript(registry.url, "bench/big", big.digest));
    rates["curl | openssl dgst"]!.push(size / curl.ms / 1000);
    const acrkit = await runWorker(
      {
        kind: "download",
        impl: "acrkit-native",
        url: registry.url,
        emulator: false,
        repository: "bench/big",
        digest: big.digest,
      },
      {},
      240_000,
      prof,
    );
    rates["acrkit/node"]!.push(size / acrkit.ms / 1000);
    const one = await runWorker(
      {
        kind: "download",
        impl: "acrkit-native",
        url: registry.url,
        emulator: false,
        repository: "bench/big",
        digest: big.digest,
        maxConnections: 1,
      },
      {},
    );
    rates["acrkit, maxConnections 1"]!.push(size / one.ms / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const [name, values] of Object.entries(rates)) {
    process.stdout.write(
      `${name.padEnd(26)} median ${median(values).toFixed(0)} MB/s  (${values.map((v) => v.toFixed(0)).join(", ")})\n`,
    );
  }
  process.stdout.write(
    `ratio ${(median(rates["acrkit/node"]!) / median(rates["curl | openssl dgst"]!)).toFixed(2)}×\n`,
  );
} finally {
  await registry.stop();
}
