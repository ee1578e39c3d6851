/**
 * Retries (backoff with jitter, Retry-After in both forms, a bound on the total time, stalls), token expiry in the
 * middle of an upload, and cancellation: an aborted call rejects with the signal's reason without waiting for the
 * stalled request, sends nothing more, cancels its upload session and leaves no temporary file.
 *
 * Bounds on elapsed time here catch a hang (a wait for a stall ten times longer than the bound); they are wide
 * enough for a loaded 2-core machine. How fast an abort lands is measured in `npm run bench`, not asserted here.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkError, RegistryError, downloadBlobToFile } from "../../../src/platform/node/index";
import { authorized, type ProxiedRequest } from "../../support/fault-proxy";
import { runSeed } from "../../support/faults/random";
import { FaultReport } from "../../support/faults/report";
import { readAll, seededBytes, sha256, startProxiedEmulator, type ProxiedEmulator } from "../../support/faults/setup";

const MiB = 1024 * 1024;
const SESSION = /\/blobs\/uploads\/[^/?]+/;
const PROPERTIES = /^\/acr\/v1\/faults%2Fretry$|^\/acr\/v1\/faults\/retry$/;
const seed = runSeed();
/** A stall that an abort or a timeout must cut short: far longer than {@link HANG_BOUND_MS}. */
const LONG_STALL_MS = 10_000;
/** An operation that takes longer than this waited for a stall instead of cutting it short. */
const HANG_BOUND_MS = 5_000;
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
    env.proxy.setRules([
      { path: PROPERTIES, when: authorized, fault: { kind: "status", status: 429, retryAfter: { seconds: 1 } } },
    ]);
    const started = Date.now();
    await report.operation(() => client.getRepositoryProperties("faults/retry"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const client = await warmClient();
    env.proxy.setRules([
      { path: PROPERTIES, when: authorized, fault: { kind: "status", status: 503, retryAfter: { dateInMs: 2_000 } } },
    ]);
    const started = Date.now();
    await report.operation(() => client.getRepositoryProperties("faults/retry"));
    // An HTTP date has whole seconds, so the wait is between one and two seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("fails at once when Retry-After is longer than maxRetryAfterMs", async () => {
    const client = await warmClient({ retry: { maxRetryAfterMs: 1_000 } });
    env.proxy.setRules([
      { path: PROPERTIES, when: authorized, fault: { kind: "status", status: 429, retryAfter: { seconds: 30 } } },
    ]);
    env.proxy.log.length = 0;
    const result = await elapsed(() => client.getRepositoryProperties("faults/retry"));
    report.handled(result.error, RegistryError);
    expect((result.error as RegistryError).statusCode).toBe(429);
    // Not retried: the 30 s were not waited.
    expect(env.proxy.log.filter((entry) => PROPERTIES.test(entry.path))).toHaveLength(1);
    expect(result.ms).toBeLessThan(HANG_BOUND_MS);
  });

  it("backs off with growing, jittered waits and stops at maxElapsedMs", async () => {
    const client = await warmClient({ retry: { limit: 20, maxElapsedMs: 2_500 } });
    env.proxy.log.length = 0;
    env.proxy.setRules([
      { path: PROPERTIES, when: authorized, times: Infinity, fault: { kind: "status", status: 503 } },
    ]);
    const result = await elapsed(() => client.getRepositoryProperties("faults/retry"));
    report.handled(result.error, RegistryError);
    expect((result.error as RegistryError).statusCode).toBe(503);
    // maxElapsedMs (2.5 s) stopped it, long before the 20 retries' backoff (minutes) would have.
    expect(result.ms).toBeLessThan(HANG_BOUND_MS + 2_500);
    const times = env.proxy.log.filter((entry) => PROPERTIES.test(entry.path)).map((entry) => entry.at);
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect(times.length).toBeLessThan(21);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // 300 ms · 2^n, of which half is random: the first three waits add up to at least 150 + 300 + 600 ms (less a
    // margin for a request that reached the proxy late), and the third is longer than the first.
    expect(gaps[0]! + gaps[1]! + gaps[2]!).toBeGreaterThanOrEqual(1_050 - 150);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
  });

  it("aborts a stalled request at the timeout and retries it", async () => {
    const client = await warmClient({ timeout: 300 });
    env.proxy.log.length = 0;
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, fault: { kind: "stall", ms: LONG_STALL_MS } }]);
    const started = Date.now();
    await report.operation(() => client.getRepositoryProperties("faults/retry"));
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
    expect(env.proxy.log.filter((entry) => PROPERTIES.test(entry.path)).map((entry) => entry.fault)).toEqual([
      "stall",
      undefined,
    ]);
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
    env.proxy.setRules([
      { path: PROPERTIES, when: authorized, times: 2, fault: { kind: "reset-response", afterBytes: 0 } },
    ]);
    env.proxy.log.length = 0;
    const error = await report.rejects(() => client.getRepositoryProperties("faults/retry"), NetworkError);
    expect((error as NetworkError).reason).toBe("connection");
    expect(env.proxy.log.filter((entry) => entry.fault === "reset-response")).toHaveLength(2);
  });
});

describe("tokens that expire during a long upload", () => {
  it("are renewed transparently: short-lived tokens, and a 401 in the middle of the transfer", async () => {
    const short = await startProxiedEmulator(seed, { accessTokenLifetimeSeconds: 2 });
    try {
      // 200 ms per PATCH makes the upload outlive several two-second tokens.
      short.proxy.setRules([{ method: "PATCH", path: SESSION, times: Infinity, fault: { kind: "stall", ms: 200 } }]);
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
  /** Resolves once the proxy has seen a request that matches. */
  async function arrived(matches: (entry: ProxiedRequest) => boolean): Promise<void> {
    while (!env.proxy.log.some(matches)) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it("an aborted upload rejects with the reason without waiting for the stalled PATCH, sends nothing more and DELETEs its session", async () => {
    const client = await warmClient();
    env.proxy.log.length = 0;
    env.proxy.setRules([
      { method: "PATCH", path: SESSION, times: Infinity, fault: { kind: "stall", ms: LONG_STALL_MS } },
    ]);
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    const upload = client.uploadBlob("faults/retry", seededBytes(16 * MiB, seed + 32), {
      chunkSize: MiB,
      signal: controller.signal,
    });
    await arrived((entry) => entry.method === "PATCH");
    // Requests are counted, not timed: the PATCH may have arrived in the very millisecond of the abort.
    const seenBeforeAbort = env.proxy.log.length;
    controller.abort(reason);
    const outcome = await elapsed(() => upload);
    expect(outcome.error).toBe(reason);
    expect(outcome.ms).toBeLessThan(HANG_BOUND_MS);
    report.handled(outcome.error, Error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = env.proxy.log.slice(seenBeforeAbort).filter((entry) => entry.method !== "DELETE");
    expect(after).toEqual([]);
    expect(env.proxy.log.filter((entry) => entry.method === "PATCH")).toHaveLength(1);
    expect(
      env.proxy.log.some((entry) => entry.method === "DELETE" && SESSION.test(entry.path) && entry.status === 204),
    ).toBe(true);
    env.proxy.setRules([]);
  });

  it("an aborted metadata call and an aborted download body reject with the reason without waiting for the stall", async () => {
    const client = await warmClient();
    env.proxy.log.length = 0;
    env.proxy.setRules([{ path: PROPERTIES, when: authorized, fault: { kind: "stall", ms: LONG_STALL_MS } }]);
    const controller = new AbortController();
    const call = client.getRepositoryProperties("faults/retry", { signal: controller.signal });
    await arrived((entry) => PROPERTIES.test(entry.path));
    const stop = new Error("stop");
    controller.abort(stop);
    const metadata = await elapsed(() => call);
    expect(metadata.error).toBe(stop);
    expect(metadata.ms).toBeLessThan(HANG_BOUND_MS);
    report.handled(metadata.error, Error);
    // Not retried after the abort.
    expect(env.proxy.log.filter((entry) => PROPERTIES.test(entry.path))).toHaveLength(1);

    const bytes = seededBytes(8 * MiB, seed + 33);
    const digest = await env.started.emulator.seedBlob("faults/retry", bytes);
    env.proxy.log.length = 0;
    env.proxy.setRules([
      {
        method: "GET",
        path: /\/blobs\/sha256:/,
        when: authorized,
        fault: { kind: "stall", phase: "response", ms: LONG_STALL_MS, afterBytes: MiB },
      },
    ]);
    const downloadController = new AbortController();
    const download = await client.downloadBlob("faults/retry", digest, { signal: downloadController.signal });
    const reading = readAll(download.body);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reason = new Error("download cancelled");
    downloadController.abort(reason);
    const body = await elapsed(() => reading);
    expect(body.error).toBe(reason);
    expect(body.ms).toBeLessThan(HANG_BOUND_MS);
    report.handled(body.error, Error);
    // No resume after the abort: the one GET that stalled.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const gets = env.proxy.log.filter((entry) => entry.method === "GET" && /\/blobs\/sha256:/.test(entry.path));
    expect(gets.map((entry) => entry.fault)).toEqual(["stall"]);
    env.proxy.setRules([]);
  });

  it("downloadBlobToFile leaves no temporary file behind when aborted early or mid-way", async () => {
    const client = await warmClient();
    const bytes = seededBytes(8 * MiB, seed + 34);
    const digest = await env.started.emulator.seedBlob("faults/retry", bytes);
    env.proxy.setRules([
      {
        method: "GET",
        path: /\/blobs\/sha256:/,
        when: authorized,
        times: Infinity,
        fault: { kind: "stall", phase: "response", ms: 1_000, afterBytes: 2 * MiB },
      },
    ]);
    for (const delay of [0, 5, 50, 300]) {
      const controller = new AbortController();
      const reason = new Error(`abort after ${delay} ms`);
      const download = downloadBlobToFile(client, "faults/retry", digest, join(directory, "blob.bin"), {
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(reason), delay);
      await expect(download).rejects.toBe(reason);
      report.handled(reason, Error);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readdirSync(directory)).toEqual([]);
    }
    env.proxy.setRules([]);
    await report.operation(() => downloadBlobToFile(client, "faults/retry", digest, join(directory, "blob.bin")));
    expect(readdirSync(directory)).toEqual(["blob.bin"]);
    const download = await client.downloadBlob("faults/retry", digest);
    expect(report.compare(bytes, await readAll(download.body))).toBe(0);
  });
});
