/**
 * The 256 MiB cases of issue 6, run by `npm run test:faults`: an upload and a download, each through five connection
 * resets at seeded random points, against the emulator (which keeps the bytes of a cut-off PATCH, as ACR does).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorized } from "../../support/fault-proxy";
import { runSeed, SeededRandom } from "../../support/faults/random";
import { FaultReport } from "../../support/faults/report";
import {
  bytesReceived,
  bytesSent,
  readAll,
  seededBytes,
  sha256,
  startProxiedEmulator,
  type ProxiedEmulator,
} from "../../support/faults/setup";

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const CHUNK = 8 * MiB;
const RESETS = 5;
const SESSION = /\/blobs\/uploads\/[^/?]+/;
const seed = runSeed();
const report = new FaultReport("large-transfers");
let env: ProxiedEmulator;
let bytes: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  env = await startProxiedEmulator(seed);
  bytes = seededBytes(SIZE, seed + 40);
});
afterAll(async () => {
  report.addProxy(env.proxy);
  report.write();
  await env.close();
});

describe(`256 MiB with ${RESETS} resets at seeded points (seed ${seed})`, () => {
  it("upload: succeeds, the digest is right, and at most 256 MiB + 5 chunks are sent", async () => {
    const random = new SeededRandom(seed);
    // Five distinct PATCHes of the 32, each cut at a random byte inside its chunk.
    const victims = random.distinct(RESETS, 0, SIZE / CHUNK);
    env.proxy.setRules(
      victims.map((index, order) => ({
        method: "PATCH",
        path: SESSION,
        skip: index + order,
        fault: { kind: "reset-request", afterBytes: random.int(1, CHUNK) },
      })),
    );
    const started = Date.now();
    const result = await report.operation(() => env.client({ chunkSize: CHUNK }).uploadBlob("faults/large", bytes));
    const seconds = (Date.now() - started) / 1000;
    expect(result).toEqual({ digest: sha256(bytes), size: SIZE });
    expect(env.proxy.stats.faults["reset-request"]).toBe(RESETS);
    const sent = bytesSent(env.proxy, "PATCH", SESSION) + bytesSent(env.proxy, "PUT", SESSION);
    report.resent(sent - SIZE);
    expect(sent).toBeLessThanOrEqual(SIZE + RESETS * CHUNK);
    console.log(`upload: ${seconds.toFixed(1)} s, ${sent - SIZE} bytes re-sent over ${RESETS} resets`);
    const stored = await env.client().downloadBlob("faults/large", result.digest);
    expect(report.compare(bytes, await readAll(stored.body))).toBe(0);
  });

  it("download: identical bytes, digest verified, every resume from the last verified byte", async () => {
    const digest = await env.started.emulator.seedBlob("faults/large-download", bytes);
    const client = env.client();
    await client.blobExists("faults/large-download", digest);
    env.proxy.log.length = 0;
    const random = new SeededRandom(seed + 1);
    const points = random.distinct(RESETS, 1, SIZE / RESETS);
    env.proxy.setRules(
      points.map((afterBytes) => ({
        method: "GET",
        path: /\/blobs\/sha256:/,
        when: authorized,
        fault: { kind: "reset-response", afterBytes },
      })),
    );
    const started = Date.now();
    // One connection: this is the resume of one stream (the parallel path's cut ranges are download-link-faults.test.ts's).
    const download = await report.operation(() =>
      client.downloadBlob("faults/large-download", digest, { maxConnections: 1 }),
    );
    const received = await readAll(download.body);
    const seconds = (Date.now() - started) / 1000;
    expect(report.compare(bytes, received)).toBe(0);
    const gets = env.proxy.log.filter((entry) => entry.method === "GET" && /\/blobs\/sha256:/.test(entry.path));
    expect(gets).toHaveLength(RESETS + 1);
    const starts = gets.slice(1).map((entry) => Number(/^bytes=(\d+)-(\d*)$/.exec(entry.range ?? "")?.[1]));
    expect(starts.every((start, index) => start > 0 && (index === 0 || start > starts[index - 1]!))).toBe(true);
    report.resent(bytesReceived(env.proxy, "GET", /\/blobs\/sha256:/) - SIZE);
    console.log(`download: ${seconds.toFixed(1)} s over ${RESETS} resets`);
  });
});
