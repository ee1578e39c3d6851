/**
 * Upload fallbacks under faults: registries that refuse how a blob is sent (a body over their request limit, a second
 * PATCH in a session) behind the fault proxy, with connection resets on top. The upload falls back, resumes or starts
 * over, and the client's next upload goes the way the registry takes it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegistryProfile } from "../../../src/emulator/index";
import { BasicCredential, ContainerRegistryClient } from "../../../src/platform/node/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy";
import { runSeed } from "../../support/faults/random";
import { FaultReport } from "../../support/faults/report";
import { readAll, seededBytes, sha256 } from "../../support/faults/setup";

const MiB = 1024 * 1024;
const SESSION = /\/blobs\/uploads\/[^/?]+/;
const USER = { username: "fallbacks", password: "fallbacks-password" };
const seed = runSeed();
const report = new FaultReport("upload-fallbacks");
afterAll(() => report.write());

/**
 * Which uploads meet a refusal: put-limit refuses the one-request strategies (bytes go in one PUT, a Blob in one
 * streamed PATCH) but takes a stream's 8 MiB chunks; single-request takes those one-request strategies and refuses
 * the stream's second chunk.
 */
const REFUSED: Record<string, string[]> = { "put-limit": ["bytes", "a Blob"], "single-request": ["a one-shot stream"] };

describe.each<[RegistryProfile, string]>([
  ["put-limit", "a body over 20 MB refused with 413"],
  ["single-request", "a second PATCH refused with 416"],
])(`falls back on the %s profile (%s), with resets (seed ${seed})`, (profile) => {
  let emulator: StartedEmulator;
  let proxy: FaultProxy;
  beforeAll(async () => {
    emulator = await startEmulator({ profile, users: { [USER.username]: USER.password } });
    proxy = await startFaultProxy({ upstream: emulator.url, seed });
  });
  afterAll(async () => {
    report.addProxy(proxy);
    await proxy.close();
    await emulator.close();
  });

  it.each([
    ["bytes", (bytes: Uint8Array) => bytes],
    ["a Blob", (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>])],
    ["a one-shot stream", (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()],
  ] as const)("uploads %s through its refusal and a reset, then again without a refusal", async (kind, toSource) => {
    const client = new ContainerRegistryClient(proxy.url, new BasicCredential(USER.username, USER.password));
    const bytes = seededBytes(24 * MiB + 17, seed + profile.length);
    // A request that carries bytes is cut mid-way: the first after the refusal where there is one, else the first.
    const refused = REFUSED[profile]!.includes(kind);
    const method = !refused && kind === "bytes" ? "PUT" : "PATCH";
    proxy.setRules([
      { method, path: SESSION, skip: refused ? 1 : 0, fault: { kind: "reset-request", afterBytes: 3 * MiB } },
    ]);
    proxy.log.length = 0;
    const first = await report.operation(() => client.uploadBlob("faults/fallback", toSource(bytes)));
    expect(first).toEqual({ digest: sha256(bytes), size: bytes.byteLength });
    // Where the strategy meets a refusal, it was seen; elsewhere a resumed request may meet one (single-request
    // refuses the second request of a session even after a reset), which the upload survives as well.
    if (refused)
      expect(proxy.log.some((entry) => entry.method !== "GET" && (entry.status === 413 || entry.status === 416))).toBe(
        true,
      );
    expect(proxy.stats.faults["reset-request"] ?? 0).toBeGreaterThan(0);
    proxy.setRules([]);
    proxy.log.length = 0;
    const again = seededBytes(24 * MiB + 18, seed + 100 + profile.length);
    expect((await client.uploadBlob("faults/fallback", toSource(again))).digest).toBe(sha256(again));
    expect(
      proxy.log.filter((entry) => entry.method !== "GET" && (entry.status === 413 || entry.status === 416)),
    ).toEqual([]);
    const download = await client.downloadBlob("faults/fallback", first.digest);
    expect(report.compare(bytes, await readAll(download.body))).toBe(0);
  });
});
