/**
 * `downloadBlobToFile` over several connections against docker-registry through the fault proxy
 * (test/support/link-faults.ts): ranges are written into the file at their offsets, and the file at `path` appears
 * only complete and verified. A flipped byte, an abort or a killed process leaves no file at `path`; a killed
 * `resume` download leaves a partial file with holes and a record of its prefix, and the next run fetches only the rest.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerRegistryClient,
  DigestValidationError,
  downloadBlobToFile,
} from "../../../../src/platform/node/index";
import { startFaultProxy, type FaultProxy } from "../../../support/fault-proxy";
import { linkFaultRules } from "../../../support/link-faults";
import {
  BLOB_READ as blobRead,
  PARALLEL_OPTIONS as PARALLEL,
  patterned,
  sha256,
  startRegistry,
  uniqueRepository,
  type TestRegistry,
} from "../../core/content/support";

const KiB = 1024;
const MiB = 1024 * KiB;
const CHILD = fileURLToPath(new URL("./download-to-file/resume-child.ts", import.meta.url));

describe("downloadBlobToFile: ranges written at their offsets (docker-registry)", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const data = patterned(3 * MiB + 12_345, 47);
  const digest = sha256(data);
  const repository = uniqueRepository("to-file");
  /** A larger blob for the resume test: room for the first connection to run alone before the others start. */
  const large = patterned(8 * MiB + 123, 53);
  const largeDigest = sha256(large);
  const directory = mkdtempSync(join(tmpdir(), "acrkit-to-file-"));
  let count = 0;

  beforeAll(async () => {
    registry = await startRegistry("docker-registry");
    proxy = await startFaultProxy({ upstream: registry.url, seed: 29 });
    await registry.connect().client.uploadBlob(repository, data);
    await registry.connect().client.uploadBlob(repository, large);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });
  afterEach(() => {
    proxy.setRules([]);
    proxy.log.length = 0;
  });

  /** A folder of its own for each test, so that what is left in it is this test's. */
  function folder(): string {
    const path = join(directory, `run-${count++}`);
    return mkdtempSync(path);
  }
  const paced = (slowIndex = 1, slowFactor = 1) =>
    linkFaultRules("slow-connection", { upstream: registry.url, bytesPerSecond: 2e6, slowIndex, slowFactor });
  const client = () => new ContainerRegistryClient(proxy.url, undefined, PARALLEL);
  const ranged = () =>
    proxy.log.filter((entry) => entry.method === "GET" && blobRead.test(entry.path) && entry.range !== undefined);

  it(
    "a slow first connection: the file is the blob, verified, with nothing else left beside it",
    { timeout: 30_000 },
    async () => {
      proxy.setRules(paced(0, 20));
      const dir = folder();
      const path = join(dir, "blob.bin");
      expect(await downloadBlobToFile(client(), repository, digest, path)).toEqual({ digest, size: data.byteLength });
      expect(readFileSync(path).equals(Buffer.from(data))).toBe(true);
      expect(readdirSync(dir)).toEqual(["blob.bin"]);
      expect(ranged().length).toBeGreaterThan(1);
    },
  );

  it(
    "Range ignored (200 to a ranged read): one stream into the same file, verified (registry-quirks row 51)",
    { timeout: 30_000 },
    async () => {
      proxy.setRules(linkFaultRules("range-ignored", { upstream: registry.url, bytesPerSecond: 2e6 }));
      const dir = folder();
      const path = join(dir, "blob.bin");
      await downloadBlobToFile(client(), repository, digest, path);
      expect(readFileSync(path).equals(Buffer.from(data))).toBe(true);
      expect(ranged().some((entry) => entry.status === 200)).toBe(true);
      expect(readdirSync(dir)).toEqual(["blob.bin"]);
    },
  );

  it.each([false, true])(
    "a flipped byte in the blob's last range (resume: %s): DigestValidationError, no file, no partial file",
    { timeout: 30_000 },
    async (resume) => {
      const tail = `bytes=${data.byteLength - 256 * KiB}-`;
      proxy.setRules([
        {
          method: "GET",
          path: blobRead,
          when: (req) => req.headers.range?.startsWith(tail) === true,
          fault: { kind: "flip-byte", at: 1000 },
        },
        ...paced(),
      ]);
      const dir = folder();
      // An older file at `path` stays as it was.
      writeFileSync(join(dir, "blob.bin"), "older");
      const error = await downloadBlobToFile(client(), repository, digest, join(dir, "blob.bin"), { resume }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DigestValidationError);
      expect(proxy.log.some((entry) => entry.fault === "flip-byte")).toBe(true);
      expect(readdirSync(dir)).toEqual(["blob.bin"]);
      expect(readFileSync(join(dir, "blob.bin"), "utf8")).toBe("older");
    },
  );

  it("an abort in the middle: the abort's reason, no file, no partial file", { timeout: 30_000 }, async () => {
    proxy.setRules(paced());
    const dir = folder();
    const controller = new AbortController();
    const reason = new Error("enough");
    const error = await downloadBlobToFile(client(), repository, largeDigest, join(dir, "blob.bin"), {
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        // Past the first connection's time alone: the other connections are on their way.
        if (loaded > 3 * MiB) controller.abort(reason);
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    expect(ranged().length).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it(
    "resume after a kill: the partial file has holes, the next run reads back the recorded prefix and fetches the rest",
    { timeout: 60_000 },
    async () => {
      // Every ranged read stalls except those of the blob's last MiB: the first connection streams on until the
      // other connections claim the ranges after it (which stall), so that the hash stops at that gap while the
      // blob's last ranges are written beyond it.
      const size = large.byteLength;
      proxy.setRules([
        {
          method: "GET",
          path: blobRead,
          times: Infinity,
          when: (req) => Number(/^bytes=(\d+)-/.exec(req.headers.range ?? "")?.[1] ?? size) < size - 1 * MiB,
          fault: { kind: "stall", ms: 120_000 },
        },
        ...linkFaultRules("slow-connection", { upstream: registry.url, bytesPerSecond: 4e6, slowFactor: 1 }),
      ]);
      const dir = folder();
      const path = join(dir, "blob.bin");
      const partial = join(dir, `.blob.bin.${largeDigest.replace(":", "-")}.partial`);
      const record = `${partial}.held`;
      const recorded = () => (existsSync(record) ? Number(readFileSync(record, "utf8") || 0) : 0);
      const child = spawn(process.execPath, ["--import", "tsx", CHILD, proxy.url, repository, largeDigest, path], {
        stdio: "ignore",
      });
      const exited = new Promise((done) => child.once("exit", done));
      const deadline = Date.now() + 30_000;
      // Killed once the prefix is recorded past 1 MiB and the blob's last range is written.
      while (!(recorded() >= 1 * MiB && existsSync(partial) && statSync(partial).size === size)) {
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill("SIGKILL");
      await exited;
      const held = recorded();
      expect(held).toBeGreaterThanOrEqual(1 * MiB);
      expect(held).toBeLessThan(size - 1 * MiB);
      expect(statSync(partial).size).toBe(size);
      expect(existsSync(path)).toBe(false);

      proxy.setRules([]);
      proxy.log.length = 0;
      expect(await downloadBlobToFile(client(), repository, largeDigest, path, { resume: true })).toEqual({
        digest: largeDigest,
        size,
      });
      expect(readFileSync(path).equals(Buffer.from(large))).toBe(true);
      // Only the bytes after the recorded prefix were asked for; the bytes written beyond the gap are fetched again.
      const first = proxy.log.find((entry) => entry.method === "GET" && blobRead.test(entry.path));
      expect(first?.range).toBe(`bytes=${held}-`);
      expect(readdirSync(dir)).toEqual(["blob.bin"]);
    },
  );
});
