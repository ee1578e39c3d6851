/**
 * A parallel download from the emulator, which redirects blob reads to its storage origin as ACR redirects to Azure
 * Blob Storage: the redirect is resolved once and every range goes to the storage URL, no Authorization crosses to
 * that origin, and the bytes come out in order and verified. Each response body is paced, as object storage caps
 * each flow, so that more connections pay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient, type RequestLogEntry } from "../../../../src/index";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";
import { EMULATOR_USER, patterned, readAll, sha256, uniqueRepository } from "./support";

const KiB = 1024;
const MiB = 1024 * KiB;

/** fetch whose response bodies arrive at `bytesPerSecond` each; records whether a request carried Authorization. */
function pacedFetch(bytesPerSecond: number, seen: { url: string; authorized: boolean }[]) {
  return async (input: Request, init?: RequestInit): Promise<Response> => {
    seen.push({ url: input.url, authorized: input.headers.has("authorization") });
    const response = await fetch(input, init);
    if (!response.body) return response;
    const started = performance.now();
    let sent = 0;
    const paced = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        async transform(chunk, controller) {
          sent += chunk.byteLength;
          const wait = started + (sent * 1000) / bytesPerSecond - performance.now();
          if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(paced, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

describe("parallel download from the emulator's storage redirect", () => {
  let emulator: StartedEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      users: { [EMULATOR_USER.username]: EMULATOR_USER.password },
      redirectBlobs: true,
    });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it(
    "resolves the redirect once, reads every range from storage without the registry's credential, verified",
    { timeout: 30_000 },
    async () => {
      const credential = new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password);
      const repository = uniqueRepository("parallel-emulator");
      const data = patterned(4 * MiB + 777, 23);
      await new ContainerRegistryClient(emulator.url, credential).uploadBlob(repository, data);
      const seen: { url: string; authorized: boolean }[] = [];
      const log: RequestLogEntry[] = [];
      const client = new ContainerRegistryClient(emulator.url, credential, {
        fetch: pacedFetch(2e6, seen),
        logger: (entry) => log.push(entry),
        parallelDownloadThreshold: MiB,
        downloadRangeSize: 256 * KiB,
        downloadWindow: MiB,
        maxConnections: 4,
      });
      const download = await client.downloadBlob(repository, sha256(data));
      expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(data))).toBe(true);
      const registryOrigin = new URL(emulator.url).origin;
      const registryReads = log.filter(
        (entry) =>
          entry.method === "GET" &&
          entry.url.startsWith(registryOrigin) &&
          entry.url.includes("/blobs/") &&
          entry.status === 307,
      );
      const storageReads = seen.filter((request) => !request.url.startsWith(registryOrigin));
      // One redirect for the first read; every range after it straight to storage.
      expect(registryReads.length).toBe(1);
      expect(storageReads.length).toBeGreaterThan(2);
      expect(storageReads.every((request) => !request.authorized)).toBe(true);
    },
  );
});
