/**
 * The field's fault profiles (test/support/link-faults.ts) against a parallel download from docker-registry: every
 * profile ends with the verified blob, or a typed error, and never a wrong byte. Each response is paced per
 * connection, as a storage front-end caps each flow, so that more connections pay and the parallel path runs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient, DigestValidationError } from "../../../../src/index";
import { startFaultProxy, type FaultProxy } from "../../../support/fault-proxy";
import { linkFaultRules, type LinkFaultOptions, type LinkFaultProfile } from "../../../support/link-faults";
import {
  BLOB_READ as blobRead,
  PARALLEL_OPTIONS as PARALLEL,
  patterned,
  readAll,
  sha256,
  startRegistry,
  uniqueRepository,
  type TestRegistry,
} from "./support";

const KiB = 1024;
const MiB = 1024 * KiB;

describe("parallel download through the field's fault profiles (docker-registry)", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const data = patterned(3 * MiB + 12_345, 41);
  const digest = sha256(data);
  const repository = uniqueRepository("link-faults");

  beforeAll(async () => {
    registry = await startRegistry("docker-registry");
    proxy = await startFaultProxy({ upstream: registry.url, seed: 22 });
    await registry.connect().client.uploadBlob(repository, data);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });
  afterEach(() => {
    proxy.setRules([]);
    proxy.log.length = 0;
  });

  function profile(name: LinkFaultProfile, options: Partial<LinkFaultOptions> = {}) {
    proxy.setRules(linkFaultRules(name, { upstream: registry.url, bytesPerSecond: 2e6, ...options }));
    return new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
  }

  async function download(client: ContainerRegistryClient) {
    const result = await client.downloadBlob(repository, digest);
    return Buffer.from(await readAll(result.body));
  }

  const reads = () =>
    proxy.log.filter(
      (entry) => entry.method === "GET" && (blobRead.test(entry.path) || entry.path.startsWith("/storage/")),
    );

  it("a per-connection cap: ranges over several connections, in order and verified", { timeout: 30_000 }, async () => {
    proxy.setRules(linkFaultRules("slow-connection", { upstream: registry.url, bytesPerSecond: 2e6, slowFactor: 1 }));
    const client = new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
    expect((await download(client)).equals(Buffer.from(data))).toBe(true);
    const ranged = reads().filter((entry) => entry.range !== undefined);
    expect(ranged.length).toBeGreaterThan(1);
    expect(ranged.every((entry) => entry.status === 206)).toBe(true);
    // No range is asked for twice: bounded ranges, each from a start of its own.
    const starts = ranged.map((entry) => entry.range!.split("-")[0]);
    expect(new Set(starts).size).toBe(starts.length);
    expect(ranged.every((entry) => /^bytes=\d+-\d+$/.test(entry.range!))).toBe(true);
  });

  it(
    "a line all connections share, without a cap per connection: one probe, then the first stream goes on alone",
    { timeout: 30_000 },
    async () => {
      const client = profile("shared-line");
      expect((await download(client)).equals(Buffer.from(data))).toBe(true);
      // The probe at the blob's last range and, while its verdict is due, the range before it; then none: the first
      // connection's stream (a plain read to the end) carries everything else, with no new request and round trip.
      // On a loaded machine the first connection's measurement can come out low (the test's proxy shares the
      // client's thread), and the count then grows: the probe still goes to the tail, and the verified blob is the
      // same; only the request count differs.
      const ranged = reads()
        .filter((entry) => entry.range !== undefined)
        .map((entry) => entry.range);
      const end = data.byteLength;
      const tail = (k: number) => `bytes=${end - k * 256 * KiB}-${end - (k - 1) * 256 * KiB - 1}`;
      expect(ranged[0]).toBe(tail(1));
      if (ranged.length <= 2) expect(ranged).toEqual([tail(1), tail(2)]);
    },
  );

  it(
    "Range ignored (200 to a ranged read): the download goes on as one stream, verified (registry-quirks row 51)",
    { timeout: 30_000 },
    async () => {
      const client = profile("range-ignored");
      expect((await download(client)).equals(Buffer.from(data))).toBe(true);
      expect(reads().some((entry) => entry.range !== undefined && entry.status === 200)).toBe(true);
    },
  );

  it("400 on Range: the download goes on as one plain read, verified", { timeout: 30_000 }, async () => {
    const client = profile("range-rejected");
    expect((await download(client)).equals(Buffer.from(data))).toBe(true);
    expect(reads().some((entry) => entry.status === 400)).toBe(true);
  });

  it(
    "a redirect whose URL expires (403): the ranges reuse it, then ask the registry for a fresh one",
    { timeout: 30_000 },
    async () => {
      const client = profile("expiring-redirect", { expiresAfterMs: 600 });
      expect((await download(client)).equals(Buffer.from(data))).toBe(true);
      const storage = reads().filter((entry) => entry.path.startsWith("/storage/"));
      const redirects = reads().filter((entry) => entry.status === 307);
      expect(storage.some((entry) => entry.status === 403)).toBe(true);
      // Resolved once per expiry, not once per range.
      expect(redirects.length).toBeGreaterThan(1);
      expect(redirects.length).toBeLessThan(storage.filter((entry) => entry.status === 206).length + 1);
    },
  );

  it("one connection 20× slower: its range is asked for again on another connection", { timeout: 30_000 }, async () => {
    const client = profile("slow-connection", { slowIndex: 1, slowFactor: 20 });
    const started = performance.now();
    expect((await download(client)).equals(Buffer.from(data))).toBe(true);
    const elapsed = performance.now() - started;
    const starts = reads()
      .filter((entry) => entry.range !== undefined)
      .map((entry) => entry.range!);
    // The remainder of a range asked for again: a start that is neither a multiple of the range size nor the tail
    // range's (the first extra connection probes at the blob's last range).
    const tail = data.byteLength - 256 * KiB;
    expect(
      starts
        .map((range) => Number(/bytes=(\d+)-/.exec(range)![1]))
        .some((start) => start % (256 * KiB) !== 0 && start !== tail),
    ).toBe(true);
    // Without the re-request the slow connection alone would take 256 KiB / 100 kB/s ≈ 2.6 s for its range; the
    // bound is generous for a loaded machine.
    expect(elapsed).toBeLessThan(20_000);
  });

  it(
    "connections cut in the middle of three ranges: each range's rest is asked for again, and the blob is verified",
    { timeout: 30_000 },
    async () => {
      proxy.setRules([
        {
          method: "GET",
          path: blobRead,
          times: 3,
          when: (req) => req.headers.range !== undefined,
          fault: { kind: "truncate", afterBytes: 100_000, mode: "close" },
        },
        ...linkFaultRules("slow-connection", { upstream: registry.url, bytesPerSecond: 2e6, slowFactor: 1 }),
      ]);
      const client = new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
      expect((await download(client)).equals(Buffer.from(data))).toBe(true);
      const cut = reads().filter((entry) => entry.fault === "truncate");
      expect(cut.length).toBe(3);
      expect(cut.some((entry) => entry.responseBytes === 100_000)).toBe(true);
      // Every cut range's rest was asked for from past its start (the byte after the last one that arrived), not again
      // from its start.
      const starts = reads().map((entry) => Number(/bytes=(\d+)-/.exec(entry.range ?? "")?.[1] ?? -1));
      // (A range shorter than the cut point arrives whole.)
      for (const entry of cut.filter((each) => each.responseBytes === 100_000)) {
        const start = Number(/bytes=(\d+)-/.exec(entry.range!)![1]);
        expect(starts.some((again) => again > start && again <= start + 100_000)).toBe(true);
      }
    },
  );

  it(
    "a flipped byte in one range: DigestValidationError, and no wrong byte is delivered as verified",
    { timeout: 30_000 },
    async () => {
      proxy.setRules([
        {
          method: "GET",
          path: blobRead,
          when: (req) => req.headers.range !== undefined,
          fault: { kind: "flip-byte", at: 1000 },
        },
        ...linkFaultRules("slow-connection", { upstream: registry.url, bytesPerSecond: 2e6, slowFactor: 1 }),
      ]);
      const client = new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
      const error = await download(client).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DigestValidationError);
    },
  );
});
