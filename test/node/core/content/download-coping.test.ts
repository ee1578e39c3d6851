/**
 * Blob reads as registries in the field answer them, against docker-registry behind the fault proxy: acrkit asks for
 * the bytes as stored, reads a gzip-encoded answer as decoded bytes verified by digest, starts over from byte 0 when a
 * resume's Range is ignored, and never quotes blob bytes in an error.
 */
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient, RegistryError } from "../../../../src/index";
import { startFaultProxy, type FaultProxy } from "../../../support/fault-proxy";
import { linkFaultRules } from "../../../support/link-faults";
import { patterned, readAll, sha256, startRegistry, uniqueRepository, type TestRegistry } from "./support";

const blobRead = /\/blobs\/sha256:[0-9a-f]{64}$/;

describe("downloadBlob copes with registries in the field (docker-registry)", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const data = patterned(400_000, 61);
  const digest = sha256(data);
  const repository = uniqueRepository("coping");

  beforeAll(async () => {
    registry = await startRegistry("docker-registry");
    proxy = await startFaultProxy({ upstream: registry.url, seed: 61 });
    await registry.connect().client.uploadBlob(repository, data);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });
  afterEach(() => proxy.setRules([]));

  const client = () => new ContainerRegistryClient(proxy.url, undefined, { retry: { limit: 0 } });

  it("asks for Accept-Encoding: identity on every blob read (registry-quirks row 34)", async () => {
    const seen: (string | undefined)[] = [];
    proxy.setRules([
      {
        method: "GET",
        path: blobRead,
        times: Infinity,
        when: (req) => (seen.push(req.headers["accept-encoding"]), false),
        fault: { kind: "stall", ms: 0 },
      },
    ]);
    const download = await client().downloadBlob(repository, digest);
    expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(data))).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((value) => value === "identity")).toBe(true);
  });

  it("reads a gzip-encoded answer as the decoded blob, verified by digest, without comparing it to the encoded length (registry-quirks rows 34, 61)", async () => {
    const encoded = gzipSync(data);
    proxy.setRules([
      {
        method: "GET",
        path: blobRead,
        fault: {
          kind: "custom",
          name: "gzip",
          handle: (_req, res) =>
            void res
              .writeHead(200, { "content-encoding": "gzip", "content-length": String(encoded.byteLength) })
              .end(encoded),
        },
      },
    ]);
    const download = await client().downloadBlob(repository, digest);
    expect(download.size).toBeUndefined();
    expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(data))).toBe(true);
  });

  it("a resume answered 200 starts over from byte 0 and skips what was delivered (registry-quirks row 51)", async () => {
    proxy.setRules([
      { method: "GET", path: blobRead, fault: { kind: "truncate", afterBytes: 100_000, mode: "close" } },
      ...linkFaultRules("range-ignored", { upstream: registry.url }),
    ]);
    proxy.log.length = 0;
    const download = await client().downloadBlob(repository, digest);
    expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(data))).toBe(true);
    const reads = proxy.log.filter((entry) => entry.method === "GET" && blobRead.test(entry.path));
    expect(reads.map((entry) => entry.range)).toEqual([undefined, "bytes=100000-399999"]);
    expect(reads[1]!.status).toBe(200);
  });

  it("an error status with a binary body: the RegistryError quotes none of its bytes", async () => {
    const binary = Buffer.from(data.subarray(0, 4096));
    proxy.setRules([
      {
        method: "GET",
        path: blobRead,
        fault: {
          kind: "custom",
          name: "binary-409",
          handle: (_req, res) => void res.writeHead(409, { "content-type": "application/octet-stream" }).end(binary),
        },
      },
    ]);
    const error = await client()
      .downloadBlob(repository, digest)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    const message = (error as RegistryError).message;
    expect(message).toMatch(/a body that is not text \(application\/octet-stream, 4096 bytes\)/);
    expect([...message].filter((char) => char.charCodeAt(0) < 0x20 || char === "\ufffd")).toEqual([]);
  });
});
