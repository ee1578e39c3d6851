/**
 * Resumable uploads against the emulator, which (like ACR) keeps the bytes of a cut-off PATCH: every failure is
 * resumed from the bytes the registry holds, never from byte 0.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryError } from "../../../src/platform/node/index";
import { runSeed } from "../../support/faults/random";
import { FaultReport } from "../../support/faults/report";
import {
  bytesSent,
  readAll,
  seededBytes,
  sha256,
  startProxiedEmulator,
  type ProxiedEmulator,
} from "../../support/faults/setup";

const MiB = 1024 * 1024;
const PATCHES = /\/blobs\/uploads\/[^/?]+/;
const seed = runSeed();
const report = new FaultReport("upload-resume");
let env: ProxiedEmulator;

beforeAll(async () => {
  env = await startProxiedEmulator(seed);
});
afterAll(async () => {
  report.addProxy(env.proxy);
  report.write();
  await env.close();
});

async function roundTrip(bytes: Uint8Array, digest: string) {
  const download = await env.client().downloadBlob("faults/upload", digest);
  expect(report.compare(bytes, await readAll(download.body)), "bytes that differ from those uploaded").toBe(0);
}

describe(`resumable uploads (seed ${seed})`, () => {
  it("resumes a chunk cut off mid-way from the registry's Range, re-sending only the missing part", async () => {
    const bytes = seededBytes(8 * MiB, seed);
    env.proxy.log.length = 0;
    env.proxy.setRules([
      { method: "PATCH", path: PATCHES, skip: 1, fault: { kind: "reset-request", afterBytes: 3 * MiB } },
    ]);
    const client = env.client({ chunkSize: 4 * MiB });
    const result = await report.operation(() => client.uploadBlob("faults/upload", bytes));
    expect(result).toEqual({ digest: sha256(bytes), size: bytes.byteLength });
    const sent = bytesSent(env.proxy, "PATCH", PATCHES) + bytesSent(env.proxy, "PUT", PATCHES);
    report.resent(sent - bytes.byteLength);
    // The 3 MiB that arrived before the cut were not sent again, bar what the registry had not yet read off the
    // connection when it dropped (the emulator buffers up to 1 MiB of a request body).
    expect(sent).toBeGreaterThanOrEqual(bytes.byteLength);
    expect(sent).toBeLessThanOrEqual(bytes.byteLength + 1 * MiB);
    expect(env.proxy.log.filter((entry) => entry.method === "GET" && PATCHES.test(entry.path)).length).toBe(1);
    await roundTrip(bytes, result.digest);
  });

  it("resumes after 503, 500 and an HTML error page on PATCH, and after a stall longer than the timeout", async () => {
    const bytes = seededBytes(6 * MiB, seed + 1);
    env.proxy.log.length = 0;
    env.proxy.setRules([
      { method: "PATCH", path: PATCHES, skip: 0, fault: { kind: "status", status: 503, retryAfter: { seconds: 0 } } },
      { method: "PATCH", path: PATCHES, skip: 1, fault: { kind: "status", status: 500 } },
      { method: "PATCH", path: PATCHES, skip: 2, fault: { kind: "html-error", status: 502 } },
      { method: "PATCH", path: PATCHES, skip: 3, fault: { kind: "stall", ms: 1_500 } },
    ]);
    const client = env.client({ chunkSize: 2 * MiB, timeout: 500 });
    const result = await report.operation(() => client.uploadBlob("faults/upload", bytes));
    expect(result.digest).toBe(sha256(bytes));
    // Each of the four faults hit a PATCH, in order, and the upload went on after each.
    expect(env.proxy.log.filter((entry) => entry.fault).map((entry) => [entry.fault, entry.status])).toEqual([
      ["status", 503],
      ["status", 500],
      ["html-error", 502],
      ["stall", expect.any(Number)],
    ]);
    await roundTrip(bytes, result.digest);
  });

  it("survives a lost answer to the final PUT: the blob exists, so the upload succeeded", async () => {
    const bytes = seededBytes(3 * MiB, seed + 2);
    env.proxy.log.length = 0;
    env.proxy.setRules([{ method: "PUT", path: PATCHES, fault: { kind: "reset-response", afterBytes: 0 } }]);
    const client = env.client({ chunkSize: 1 * MiB });
    const result = await report.operation(() => client.uploadBlob("faults/upload", bytes));
    expect(result.digest).toBe(sha256(bytes));
    expect(env.proxy.log.filter((entry) => entry.fault === "reset-response")).toHaveLength(1);
    const heads = env.proxy.log.filter((entry) => entry.method === "HEAD");
    expect(heads.length).toBeGreaterThanOrEqual(1);
    await roundTrip(bytes, result.digest);
  });

  it("resumes a monolithic PUT cut off mid-body with a PATCH of the rest", async () => {
    const bytes = seededBytes(1 * MiB, seed + 3);
    env.proxy.log.length = 0;
    env.proxy.setRules([{ method: "PUT", path: PATCHES, fault: { kind: "reset-request", afterBytes: 300_000 } }]);
    const client = env.client({ chunkSize: 4 * MiB });
    const result = await report.operation(() => client.uploadBlob("faults/upload", bytes));
    expect(result.digest).toBe(sha256(bytes));
    const sent = bytesSent(env.proxy, "PATCH", PATCHES) + bytesSent(env.proxy, "PUT", PATCHES);
    report.resent(sent - bytes.byteLength);
    // At most the 300 000 bytes of the cut PUT again: the emulator keeps what it had read off the connection, which
    // can be less than what arrived (it drops its unread request-stream queue when the body errors).
    expect(sent).toBeGreaterThanOrEqual(bytes.byteLength);
    expect(sent).toBeLessThanOrEqual(bytes.byteLength + 300_000);
    expect(env.proxy.log.filter((entry) => entry.method === "PATCH")).toHaveLength(1);
    await roundTrip(bytes, result.digest);
  });

  it("gives up with the typed error once the resumes run out", async () => {
    const bytes = seededBytes(2 * MiB, seed + 4);
    env.proxy.setRules([{ method: "PATCH", path: PATCHES, times: Infinity, fault: { kind: "status", status: 503 } }]);
    const client = env.client({ chunkSize: 1 * MiB });
    const error = await report.rejects(
      () => client.uploadBlob("faults/upload", bytes, { maxResumes: 2 }),
      RegistryError,
    );
    expect((error as RegistryError).statusCode).toBe(503);
    env.proxy.setRules([]);
  });

  it("a reset on every PATCH but the budget keeps the upload going (seeded reset points)", async () => {
    const bytes = seededBytes(12 * MiB, seed + 5);
    env.proxy.log.length = 0;
    env.proxy.setRules([
      { method: "PATCH", path: PATCHES, times: 4, probability: 0.6, fault: { kind: "reset-request" } },
    ]);
    const client = env.client({ chunkSize: 2 * MiB });
    const result = await report.operation(() => client.uploadBlob("faults/upload", bytes));
    expect(result.digest).toBe(sha256(bytes));
    const sent = bytesSent(env.proxy, "PATCH", PATCHES);
    const resets = env.proxy.log.filter((entry) => entry.fault === "reset-request").length;
    expect(resets).toBeGreaterThan(0);
    report.resent(sent - bytes.byteLength);
    // Each reset costs at most the rest of one chunk: the registry may keep less than arrived (what it had not
    // yet read when the connection dropped), never more.
    expect(sent).toBeLessThanOrEqual(bytes.byteLength + resets * 2 * MiB);
    expect(env.proxy.log.some((entry) => entry.status === 201 && entry.method === "PUT")).toBe(true);
    await roundTrip(bytes, result.digest);
  });
});
