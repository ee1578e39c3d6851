/**
 * Resumable, verifying downloads: after a reset, a truncation or a stall the body continues with
 * `Range: bytes=<received>-`; corrupted bytes end in DigestValidationError, never in a caller's hands.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigestValidationError, NetworkError } from "../../../src/platform/node/index";
import { authorized } from "../../support/fault-proxy";
import { runSeed } from "../../support/faults/random";
import { FaultReport } from "../../support/faults/report";
import {
  bytesReceived,
  readAll,
  seededBytes,
  startProxiedEmulator,
  type ProxiedEmulator,
} from "../../support/faults/setup";

const MiB = 1024 * 1024;
const BLOB = /\/blobs\/sha256:/;
const seed = runSeed();
const report = new FaultReport("download-resume");
let env: ProxiedEmulator;
let bytes: Uint8Array;
let digest: string;

beforeAll(async () => {
  env = await startProxiedEmulator(seed);
  bytes = seededBytes(24 * MiB, seed + 20);
  digest = await env.started.emulator.seedBlob("faults/download", bytes);
});
afterAll(async () => {
  report.addProxy(env.proxy);
  report.write();
  await env.close();
});

async function download(options: { timeout?: number; maxResumes?: number } = {}) {
  const result = await env
    .client({ timeout: options.timeout })
    .downloadBlob("faults/download", digest, { maxResumes: options.maxResumes });
  return readAll(result.body);
}

describe(`resumable downloads (seed ${seed})`, () => {
  it("resumes after resets at seeded points, fetching no byte twice", async () => {
    env.proxy.log.length = 0;
    env.proxy.setRules([{ method: "GET", path: BLOB, times: 3, when: authorized, fault: { kind: "reset-response" } }]);
    const received = await report.operation(() => download());
    expect(report.compare(bytes, received)).toBe(0);
    const gets = env.proxy.log.filter(
      (entry) => entry.method === "GET" && entry.status !== 401 && BLOB.test(entry.path),
    );
    expect(gets).toHaveLength(4);
    // Each resume asks for the bytes after the last one verified; what the proxy forwarded beyond the blob's size is
    // what a reset threw away in flight (a TCP reset drops the receiver's unread buffer), not a second fetch.
    const starts = gets.slice(1).map((entry) => Number(/^bytes=(\d+)-(\d*)$/.exec(entry.range ?? "")?.[1]));
    expect(starts).toHaveLength(3);
    expect(starts.every((start, index) => start > 0 && (index === 0 || start >= starts[index - 1]!))).toBe(true);
    report.resent(bytesReceived(env.proxy, "GET", BLOB) - bytes.byteLength);
  });

  it("resumes after a clean early end (truncated body) and after a stall longer than the timeout", async () => {
    env.proxy.log.length = 0;
    env.proxy.setRules([
      { method: "GET", path: BLOB, when: authorized, fault: { kind: "truncate", afterBytes: 5 * MiB } },
      {
        method: "GET",
        path: BLOB,
        when: authorized,
        fault: { kind: "stall", phase: "response", ms: 20_000, afterBytes: 3 * MiB },
      },
    ]);
    const started = Date.now();
    const received = await report.operation(() => download({ timeout: 400 }));
    expect(report.compare(bytes, received)).toBe(0);
    expect(env.proxy.log.map((entry) => entry.fault).filter(Boolean)).toEqual(["truncate", "stall"]);
    // The 20 s stall was cut short by the 400 ms watchdog, not waited out (a bound a loaded machine holds).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(
      env.proxy.log.filter((entry) => entry.method === "GET" && entry.status !== 401 && BLOB.test(entry.path)),
    ).toHaveLength(3);
  });

  it("a flipped byte ends the body with DigestValidationError", async () => {
    env.proxy.setRules([{ method: "GET", path: BLOB, when: authorized, fault: { kind: "flip-byte" } }]);
    env.proxy.log.length = 0;
    const error = await report.rejects(() => download(), DigestValidationError);
    expect((error as DigestValidationError).expected).toBe(digest);
    expect(env.proxy.log.some((entry) => entry.fault === "flip-byte")).toBe(true);
  });

  it("a body shorter than a lying Content-Length says is refused, not delivered as the blob", async () => {
    env.proxy.setRules([
      {
        method: "GET",
        path: BLOB,
        when: authorized,
        fault: { kind: "truncate", afterBytes: 1 * MiB, mode: "short-length" },
      },
    ]);
    env.proxy.log.length = 0;
    await report.rejects(() => download(), DigestValidationError);
    expect(env.proxy.log.some((entry) => entry.fault === "truncate")).toBe(true);
  });

  it("gives up after maxResumes with the connection error", async () => {
    env.proxy.setRules([
      {
        method: "GET",
        path: BLOB,
        times: Infinity,
        when: authorized,
        fault: { kind: "reset-response", afterBytes: 1000 },
      },
    ]);
    env.proxy.log.length = 0;
    const error = await report.rejects(() => download({ maxResumes: 2 }), NetworkError);
    expect((error as NetworkError).reason).toBe("connection");
    // The first GET and two resumes, each reset.
    expect(env.proxy.log.filter((entry) => entry.fault === "reset-response")).toHaveLength(3);
    env.proxy.setRules([]);
  });

  it("drops no check when Docker-Content-Digest is missing from a manifest answer", async () => {
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.empty.v1+json",
        digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        size: 2,
      },
      layers: [],
    };
    const client = env.client();
    await client.uploadBlob("faults/download", "{}");
    const stored = await client.setManifest("faults/download", manifest, { tag: "v1" });
    env.proxy.setRules([
      {
        method: "GET",
        path: /\/manifests\//,
        when: authorized,
        fault: { kind: "drop-header", header: "docker-content-digest" },
      },
    ]);
    const fetched = await report.operation(() => client.getManifest("faults/download", "v1"));
    expect(fetched.digest).toBe(stored);
    env.proxy.setRules([{ method: "GET", path: /\/manifests\//, when: authorized, fault: { kind: "flip-byte" } }]);
    await report.rejects(() => client.getManifest("faults/download", stored), DigestValidationError);
    expect(env.proxy.log.at(-1)?.fault).toBe("flip-byte");
  });
});
