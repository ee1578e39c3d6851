/**
 * Uploads against the CNCF distribution registry 2.8.2, which drops a session whose PATCH was cut off: acrkit
 * starts over from a source it can read again, as often as its resume budget allows, and says clearly why it cannot
 * for a one-shot stream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient, UploadInterruptedError, fileSource } from "../../../src/platform/node/index";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDockerRegistry, type RunningDockerRegistry } from "../../support/docker-registry";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy";
import { runSeed } from "../../support/faults/random";
import { FaultReport } from "../../support/faults/report";
import { bytesSent, readAll, seededBytes, sha256 } from "../../support/faults/setup";

const MiB = 1024 * 1024;
const SESSION = /\/blobs\/uploads\/[^/?]+/;
const seed = runSeed();
const report = new FaultReport("upload-restart-distribution");
let registry: RunningDockerRegistry;
let proxy: FaultProxy;
let directory: string;

beforeAll(async () => {
  registry = await startDockerRegistry();
  proxy = await startFaultProxy({ upstream: registry.url, seed });
  directory = mkdtempSync(join(tmpdir(), "acrkit-faults-"));
});
afterAll(async () => {
  report.addProxy(proxy);
  report.write();
  await proxy.close();
  await registry.stop();
  rmSync(directory, { recursive: true, force: true });
});

const client = () => new ContainerRegistryClient(proxy.url, undefined, { chunkSize: 2 * MiB });
const cutSecondPatch = () =>
  proxy.setRules([{ method: "PATCH", path: SESSION, skip: 1, fault: { kind: "reset-request", afterBytes: 1 * MiB } }]);

async function verifyStored(bytes: Uint8Array, digest: string) {
  const download = await client().downloadBlob("faults/restart", digest);
  expect(report.compare(bytes, await readAll(download.body))).toBe(0);
}

describe(`restart on a registry that drops cut-off sessions (seed ${seed})`, () => {
  it.each([
    ["bytes", (bytes: Uint8Array) => bytes],
    ["a Blob", (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>])],
    [
      "a file",
      (bytes: Uint8Array) => {
        const path = join(directory, "layer.bin");
        writeFileSync(path, bytes);
        return fileSource(path);
      },
    ],
  ] as const)("starts over from byte 0 with a new session, from %s", async (_kind, toSource) => {
    const bytes = seededBytes(6 * MiB + 5, seed + 10);
    proxy.log.length = 0;
    cutSecondPatch();
    const result = await report.operation(() => client().uploadBlob("faults/restart", toSource(bytes)));
    expect(result).toEqual({ digest: sha256(bytes), size: bytes.byteLength });
    const sessions = proxy.log.filter((entry) => entry.method === "POST" && entry.path.endsWith("/blobs/uploads/"));
    expect(sessions).toHaveLength(2);
    const sent = bytesSent(proxy, "PATCH", SESSION) + bytesSent(proxy, "PUT", SESSION);
    report.resent(sent - bytes.byteLength);
    // One full copy, plus the first chunk and the part of the second that went to the lost session.
    expect(sent).toBe(bytes.byteLength + 2 * MiB + 1 * MiB);
    await verifyStored(bytes, result.digest);
  });

  it("fails with UploadInterruptedError for a one-shot stream, and cancels the session", async () => {
    const bytes = seededBytes(6 * MiB, seed + 11);
    proxy.log.length = 0;
    cutSecondPatch();
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
    const error = await report.rejects(() => client().uploadBlob("faults/restart", stream), UploadInterruptedError);
    expect((error as UploadInterruptedError).reason).toBe("source-not-rereadable");
    expect((error as UploadInterruptedError).bytesConfirmed).toBe(2 * MiB);
    expect((error as Error).message).toMatch(/one-shot stream/);
    expect(proxy.log.some((entry) => entry.method === "DELETE" && SESSION.test(entry.path))).toBe(true);
  });

  it("starts over as often as maxResumes allows, then fails with UploadInterruptedError session-lost", async () => {
    const bytes = seededBytes(6 * MiB, seed + 12);
    proxy.setRules([{ method: "PATCH", path: SESSION, times: 3, fault: { kind: "reset-request", afterBytes: 1000 } }]);
    proxy.log.length = 0;
    const error = await report.rejects(
      () => client().uploadBlob("faults/restart", bytes, { maxResumes: 2 }),
      UploadInterruptedError,
    );
    expect((error as UploadInterruptedError).reason).toBe("session-lost");
    expect(proxy.log.filter((entry) => entry.fault === "reset-request").length).toBeGreaterThan(0);
  });

  // Bytes in memory go in one PUT, a Blob and a file in one streamed PATCH: the request that carries them is cut.
  it.each([
    ["bytes", "PUT", (bytes: Uint8Array) => bytes],
    ["a Blob", "PATCH", (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>])],
    [
      "a file",
      "PATCH",
      (bytes: Uint8Array) => {
        const path = join(directory, "large.bin");
        writeFileSync(path, bytes);
        return fileSource(path);
      },
    ],
  ] as const)(
    "a 64 MiB upload from %s survives 5 connection resets of its %s, each losing the session",
    async (_kind, method, toSource) => {
      const bytes = seededBytes(64 * MiB, seed + 13);
      proxy.log.length = 0;
      // The first five requests that carry blob bytes are cut, at a point of their first 32 MiB that the seed picks.
      const resetsBefore = proxy.stats.faults["reset-request"] ?? 0;
      proxy.setRules([
        {
          method,
          path: SESSION,
          times: 5,
          fault: { kind: "reset-request", afterBytes: 1 + ((seed * 7919) % (32 * MiB)) },
        },
      ]);
      const uploading = new ContainerRegistryClient(proxy.url);
      const result = await report.operation(() => uploading.uploadBlob("faults/restart", toSource(bytes)));
      expect(result).toEqual({ digest: sha256(bytes), size: bytes.byteLength });
      expect((proxy.stats.faults["reset-request"] ?? 0) - resetsBefore).toBe(5);
      const sessions = proxy.log.filter((entry) => entry.method === "POST" && entry.path.endsWith("/blobs/uploads/"));
      expect(sessions.length).toBeGreaterThanOrEqual(6);
      await verifyStored(bytes, result.digest);
      proxy.setRules([]);
    },
  );
});
