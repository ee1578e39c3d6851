/**
 * `downloadBlobTo` against docker-registry through the fault proxy (test/support/link-faults.ts), into a target in
 * memory that records its writes: over several connections each range is written at its offset as it arrives (out of
 * order when the first connection is slow), the blob is verified as the target fills, and the profiles that end the
 * parallel path (Range ignored, 400 on Range) go on as one stream into the same target.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient, DigestValidationError, type RandomAccessTarget } from "../../../../src/index";
import { startFaultProxy, type FaultProxy } from "../../../support/fault-proxy";
import { linkFaultRules, type LinkFaultOptions, type LinkFaultProfile } from "../../../support/link-faults";
import {
  BLOB_READ as blobRead,
  PARALLEL_OPTIONS as PARALLEL,
  patterned,
  sha256,
  startRegistry,
  uniqueRepository,
  type TestRegistry,
} from "./support";

const KiB = 1024;
const MiB = 1024 * KiB;

/** A target in memory that records the offset of every write, in the order they were made. */
function recordingTarget(size: number) {
  const data = new Uint8Array(size);
  const writes: number[] = [];
  const target: RandomAccessTarget = {
    async write(offset, bytes) {
      writes.push(offset);
      data.set(bytes, offset);
    },
    async read(offset, length) {
      return data.slice(offset, offset + length);
    },
  };
  return { data, writes, target };
}

describe("downloadBlobTo: ranges written at their offsets (docker-registry)", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const data = patterned(3 * MiB + 12_345, 43);
  const digest = sha256(data);
  const repository = uniqueRepository("download-to");

  beforeAll(async () => {
    registry = await startRegistry("docker-registry");
    proxy = await startFaultProxy({ upstream: registry.url, seed: 23 });
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
  const reads = () => proxy.log.filter((entry) => entry.method === "GET" && blobRead.test(entry.path));

  it(
    "a slow first connection: later ranges are written before the bytes ahead of them, and the blob is verified",
    { timeout: 30_000 },
    async () => {
      const client = profile("slow-connection", { slowIndex: 0, slowFactor: 20 });
      const { data: written, writes, target } = recordingTarget(data.byteLength);
      const result = await client.downloadBlobTo(repository, digest, target);
      expect(result).toEqual({ digest, size: data.byteLength });
      expect(Buffer.from(written).equals(Buffer.from(data))).toBe(true);
      // Out of order: some write lands below one made before it.
      expect(writes.some((offset, index) => index > 0 && offset < Math.max(...writes.slice(0, index)))).toBe(true);
      expect(reads().filter((entry) => entry.range !== undefined).length).toBeGreaterThan(1);
    },
  );

  it.each([
    ["range-ignored", 200],
    ["range-rejected", 400],
  ] as const)(
    "%s (%d to a ranged read): the download goes on as one stream into the target, verified (registry-quirks row 51)",
    { timeout: 30_000 },
    async (name, status) => {
      const client = profile(name);
      const { data: written, target } = recordingTarget(data.byteLength);
      expect((await client.downloadBlobTo(repository, digest, target)).size).toBe(data.byteLength);
      expect(Buffer.from(written).equals(Buffer.from(data))).toBe(true);
      expect(reads().some((entry) => entry.range !== undefined && entry.status === status)).toBe(true);
    },
  );

  it("a flipped byte in the blob's last range: DigestValidationError", { timeout: 30_000 }, async () => {
    const tail = `bytes=${data.byteLength - 256 * KiB}-`;
    proxy.setRules([
      {
        method: "GET",
        path: blobRead,
        when: (req) => req.headers.range?.startsWith(tail) === true,
        fault: { kind: "flip-byte", at: 1000 },
      },
      ...linkFaultRules("slow-connection", { upstream: registry.url, bytesPerSecond: 2e6, slowFactor: 1 }),
    ]);
    const client = new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
    const { target } = recordingTarget(data.byteLength);
    await expect(client.downloadBlobTo(repository, digest, target)).rejects.toBeInstanceOf(DigestValidationError);
    expect(proxy.log.some((entry) => entry.fault === "flip-byte")).toBe(true);
  });

  it("heldBytes that is not a byte count: RangeError naming it, before any request", async () => {
    const client = new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
    const { target } = recordingTarget(data.byteLength);
    await expect(client.downloadBlobTo(repository, digest, target, { heldBytes: -1 })).rejects.toThrow(
      new RangeError("heldBytes must be a non-negative integer, got -1"),
    );
    expect(proxy.log).toEqual([]);
  });

  it("held bytes from an earlier run are read back and hashed, and only the rest is fetched", async () => {
    const { data: written, target } = recordingTarget(data.byteLength);
    const held = 1 * MiB + 7;
    written.set(data.subarray(0, held));
    const client = new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
    expect(await client.downloadBlobTo(repository, digest, target, { heldBytes: held })).toEqual({
      digest,
      size: data.byteLength,
    });
    expect(Buffer.from(written).equals(Buffer.from(data))).toBe(true);
    expect(reads().map((entry) => entry.range)).toEqual([`bytes=${held}-`]);
  });
});
