/**
 * Retries (backoff with jitter, Retry-After in both forms, a bound on the total time, stalls), token expiry in the
 * middle of an upload, and cancellation: an aborted call stops within 100 ms, cancels its upload session and leaves
 * no temporary file.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkError, RegistryError, downloadBlobToFile } from "../../../src/platform/node/index";
import { authorized } from "../../support/fault-proxy";
import { runSeed } from "../../support/faults/random";
import { FaultReport } from "../../support/faults/report";
import { readAll, seededBytes, sha256, startProxiedEmulator, type ProxiedEmulator } from "../../support/faults/setup";

const MiB = 1024 * 1024;
const SESSION = /\/blobs\/uploads\/[^/?]+/;
const PROPERTIES = /^\/acr\/v1\/faults%2Fretry$|^\/acr\/v1\/faults\/retry$/;
const seed = runSeed();
const report = new FaultReport("retries-and-cancellation");
let env: ProxiedEmulator;
let directory: string;

beforeAll(async () => {
  env = await startProxiedEmulator(seed);
  await env.started.emulator.seedImage({ repository: "faults/retry", tags: ["v1"] });
  directory = mkdtempSync(join(tmpdir(), "acrkit-cancel-"));
});
afterAll(async () => {
  report.addProxy(env.proxy);
  report.write();
  await env.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A warmed-up client: its token is cached, so the rules below hit the requests that matter. */
async function warmClient(options: Parameters<ProxiedEmulator["client"]>[0] = {}) {
  env.proxy.setRules([]);
  const client = env.client(options);
  await client.getRepositoryProperties("faults/retry");
  return client;
}

async function elapsed<T>(run: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  try {
    await run();
    return { ms: Date.now() - started, error: undefined };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

describe(`retries (seed ${seed})`, () => {
  it("honours Retry-After in seconds", async () => {
    const client = await warmClient();
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, fault: { kind: "status", status: 429, retryAfter: { seconds: 1 } } }]);
    const started = Date.now();
    await report.operation(() => client.getRepositoryProperties("faults/retry"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const client = await warmClient();
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, fault: { kind: "status", status: 503, retryAfter: { dateInMs: 2_000 } } }]);
    const started = Date.now();
    await report.operation(() => client.getRepositoryProperties("faults/retry"));
    // An HTTP date has whole seconds, so the wait is between one and two seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("fails at once when Retry-After is longer than maxRetryAfterMs", async () => {
    const client = await warmClient({ retry: { maxRetryAfterMs: 1_000 } });
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, fault: { kind: "status", status: 429, retryAfter: { seconds: 30 } } }]);
    const result = await elapsed(() => client.getRepositoryProperties("faults/retry"));
    expect(result.error).toBeInstanceOf(RegistryError);
    expect((result.error as RegistryError).statusCode).toBe(429);
    expect(result.ms).toBeLessThan(1_000);
    report.handled();
  });

  it("backs off with growing, jittered waits and stops at maxElapsedMs", async () => {
    const client = await warmClient({ retry: { limit: 20, maxElapsedMs: 2_500 } });
    env.proxy.log.length = 0;
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, times: Infinity, fault: { kind: "status", status: 503 } }]);
    const result = await elapsed(() => client.getRepositoryProperties("faults/retry"));
    expect(result.error).toBeInstanceOf(RegistryError);
    expect(result.ms).toBeLessThan(3_500);
    const times = env.proxy.log.filter((entry) => PROPERTIES.test(entry.path)).map((entry) => entry.at);
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.length).toBeLessThan(21);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // 300 ms · 2^n, of which half is random: each wait is within [half, whole] of its step.
    gaps.slice(0, 3).forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(150 * 2 ** index - 20);
      expect(gap).toBeLessThanOrEqual(300 * 2 ** index + 250);
    });
    report.handled();
  });

  it("aborts a stalled request at the timeout and retries it", async () => {
    const client = await warmClient({ timeout: 300 });
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, fault: { kind: "stall", ms: 3_000 } }]);
    const started = Date.now();
    await report.operation(() => client.getRepositoryProperties("faults/retry"));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("retries the POST that opens an upload (it carries no content), never a PATCH", async () => {
    const client = await warmClient();
    env.proxy.log.length = 0;
    env.proxy.setRules([{ method: "POST", when: authorized, fault: { kind: "status", status: 503 } }]);
    const bytes = seededBytes(3 * MiB, seed + 30);
    const result = await report.operation(() => client.uploadBlob("faults/retry", bytes, { chunkSize: MiB }));
    expect(result.digest).toBe(sha256(bytes));
    expect(env.proxy.log.filter((entry) => entry.method === "POST")).toHaveLength(2);
    expect(env.proxy.log.filter((entry) => entry.method === "PATCH")).toHaveLength(3);
  });

  it("a network error on an idempotent call, after all retries, is a NetworkError", async () => {
    const client = await warmClient({ retry: { limit: 1, backoffLimitMs: 50 } });
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, times: 2, fault: { kind: "reset-response", afterBytes: 0 } }]);
    await expect(client.getRepositoryProperties("faults/retry")).rejects.toBeInstanceOf(NetworkError);
    report.handled();
  });
});

describe("tokens that expire during a long upload", () => {
  it("are renewed transparently: short-lived tokens, and a 401 in the middle of the transfer", async () => {
    const short = await startProxiedEmulator(seed, { accessTokenLifetimeSeconds: 2 });
    try {
      // 200 ms per PATCH makes the upload outlive several two-second tokens.
      short.proxy.setRules([
        { method: "PATCH", path: SESSION, times: Infinity, fault: { kind: "stall", ms: 200 } },
      ]);
      short.proxy.rules.unshift({ method: "PATCH", path: SESSION, skip: 10, fault: { kind: "unauthorized" } });
      const bytes = seededBytes(24 * MiB, seed + 31);
      const result = await report.operation(() => short.client().uploadBlob("faults/token", bytes, { chunkSize: MiB }));
      expect(result.digest).toBe(sha256(bytes));
      const tokenFetches = short.proxy.log.filter((entry) => entry.path.startsWith("/oauth2/token"));
      expect(tokenFetches.length).toBeGreaterThanOrEqual(3);
      expect(short.proxy.stats.faults.unauthorized).toBe(1);
      const patches = short.proxy.log.filter((entry) => entry.method === "PATCH");
      expect(patches.filter((entry) => entry.status === 401)).toHaveLength(1);
      report.addProxy(short.proxy);
    } finally {
      await short.close();
    }
  }, 30_000);
});

describe("cancellation", () => {
  it("an aborted upload rejects with the reason within 100 ms, sends nothing more and DELETEs its session", async () => {
    const client = await warmClient();
    env.proxy.log.length = 0;
    env.proxy.setRules([{ method: "PATCH", path: SESSION, times: Infinity, fault: { kind: "stall", ms: 150 } }]);
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    const upload = client.uploadBlob("faults/retry", seededBytes(16 * MiB, seed + 32), { chunkSize: MiB, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(upload).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = env.proxy.log.filter((entry) => entry.at > abortedAt + 100 && entry.method !== "DELETE");
    expect(after).toEqual([]);
    expect(env.proxy.log.some((entry) => entry.method === "DELETE" && SESSION.test(entry.path) && entry.status === 204)).toBe(true);
    env.proxy.setRules([]);
    report.handled();
  });

  it("an aborted metadata call and an aborted download body reject with the reason within 100 ms", async () => {
    const client = await warmClient();
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, fault: { kind: "stall", ms: 2_000 } }]);
    const controller = new AbortController();
    const call = client.getRepositoryProperties("faults/retry", { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let abortedAt = Date.now();
    controller.abort(new Error("stop"));
    await expect(call).rejects.toThrow("stop");
    expect(Date.now() - abortedAt).toBeLessThan(100);

    const bytes = seededBytes(8 * MiB, seed + 33);
    const digest = await env.started.emulator.seedBlob("faults/retry", bytes);
    env.proxy.setRules([{ method: "GET", path: /\/blobs\/sha256:/, when: authorized, fault: { kind: "stall", phase: "response", ms: 2_000, afterBytes: MiB } }]);
    const downloadController = new AbortController();
    const download = await client.downloadBlob("faults/retry", digest, { signal: downloadController.signal });
    const reading = readAll(download.body);
    await new Promise((resolve) => setTimeout(resolve, 200));
    abortedAt = Date.now();
    const reason = new Error("download cancelled");
    downloadController.abort(reason);
    await expect(reading).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(100);
    env.proxy.setRules([]);
    report.handled();
  });

  it("downloadBlobToFile leaves no temporary file behind when aborted early or mid-way", async () => {
    const client = await warmClient();
    const bytes = seededBytes(8 * MiB, seed + 34);
    const digest = await env.started.emulator.seedBlob("faults/retry", bytes);
    env.proxy.setRules([{ method: "GET", path: /\/blobs\/sha256:/, when: authorized, times: Infinity, fault: { kind: "stall", phase: "response", ms: 1_000, afterBytes: 2 * MiB } }]);
    for (const delay of [0, 5, 50, 300]) {
      const controller = new AbortController();
      const reason = new Error(`abort after ${delay} ms`);
      const download = downloadBlobToFile(client, "faults/retry", digest, join(directory, "blob.bin"), { signal: controller.signal });
      setTimeout(() => controller.abort(reason), delay);
      await expect(download).rejects.toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readdirSync(directory)).toEqual([]);
      report.handled();
    }
    env.proxy.setRules([]);
    await report.operation(() => downloadBlobToFile(client, "faults/retry", digest, join(directory, "blob.bin")));
    expect(readdirSync(directory)).toEqual(["blob.bin"]);
    const download = await client.downloadBlob("faults/retry", digest);
    expect(report.compare(bytes, await readAll(download.body))).toBe(0);
  });
});
