/**
 * `npx tsx bench/browser-parallel.ts [--mib N] [--rounds N]`: a verified download of N MiB (default 256) from a page in
 * Chromium, Firefox ESR and WebKitGTK, through the link model's field link (100 ms round trip, 12.5 MB/s per
 * connection, 50 MB/s in total) to the emulator with CORS: the parallel path (the default, at most 6 connections)
 * against `maxConnections: 1`, alternating, per round. Prints one JSON line per engine and round; bench/README.md,
 * "Parallel downloads", "Browsers".
 * @module
 */
import { randomFillSync } from "node:crypto";
import { ENGINES, openEnginePage } from "../test/browser/support/engines/engine-page";
import { startEmulator } from "../test/support/emulator";
import type { ParallelMeasurement } from "./browser-parallel-entry";
import { servePage } from "./lib/browser-engines";
import { startLink } from "./lib/link";
import { FIELD_LINK } from "./lib/link-shape";
import { mbPerSecond } from "./lib/stats";

const MIB = 1024 * 1024;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${name} needs a positive whole number, got ${process.argv[index + 1]}`);
  return value;
}

const mib = option("--mib", 256);
const rounds = option("--rounds", 1);
const page = await servePage("bench/browser-parallel-entry.ts");
const emulator = await startEmulator({ cors: true, authRequired: false });
const link = await startLink(new URL(emulator.url).host, FIELD_LINK);
try {
  const blob = new Uint8Array(mib * MIB);
  for (let offset = 0; offset < blob.byteLength; offset += 64 * MIB)
    randomFillSync(blob.subarray(offset, offset + 64 * MIB));
  const repository = "bench/parallel";
  const digest = await emulator.emulator.seedBlob(repository, blob);
  const registry = `http://${link.host}`;
  for (let round = 1; round <= rounds; round++) {
    for (const engine of ENGINES) {
      const tab = await openEnginePage(engine);
      try {
        await tab.goto(page.origin);
        const run = (connections: number) =>
          tab.run<ParallelMeasurement>(
            `return bench.download(${JSON.stringify(registry)}, ${JSON.stringify(repository)}, ${JSON.stringify(digest)}, ${connections})`,
          );
        // Alternated per round, so that neither always runs on a warmer machine.
        const [parallel, single] =
          round % 2 === 1 ? [await run(6), await run(1)] : (([one, six]) => [six, one])([await run(1), await run(6)]);
        for (const measured of [parallel, single]) {
          if (measured.digest !== digest || measured.bytes !== blob.byteLength)
            throw new Error(`${engine}: the download came out as ${measured.bytes} bytes with ${measured.digest}`);
        }
        const summary = (measured: ParallelMeasurement) => ({
          seconds: Math.round(measured.ms / 100) / 10,
          mbps: Math.round(mbPerSecond(blob.byteLength, measured.ms) * 10) / 10,
          ranged: measured.ranged,
          mostInFlight: measured.mostInFlight,
        });
        console.log(
          JSON.stringify({
            engine,
            version: tab.version,
            round,
            mib,
            parallel: summary(parallel),
            single: summary(single),
            ratio: Math.round((single.ms / parallel.ms) * 100) / 100,
          }),
        );
      } finally {
        await tab.close();
      }
    }
  }
} finally {
  await link.close();
  await emulator.close();
  page.server.close();
}
