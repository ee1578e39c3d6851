import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BasicCredential,
  ContainerRegistryClient,
  DigestValidationError,
  MAX_MANIFEST_SIZE,
  RegistryError,
} from "../../../../src/index";
import { startFaultProxy, type FaultProxy } from "../../../support/fault-proxy";
import {
  EMULATOR_USER,
  patterned,
  pushImageBlobs,
  readAll,
  REGISTRY_KINDS,
  sha256,
  startRegistry,
  uniqueRepository,
  type TestRegistry,
} from "./support";

const blobGet = /\/blobs\/sha256:/;
const manifestPath = /\/manifests\//;
const WRONG = `sha256:${"0".repeat(64)}`;

/**
 * A proxy handler that forwards the request to the registry for real (Host kept, since the emulator's tokens name
 * it) and changes the answer's headers: a registry that stores the bytes but says a wrong digest.
 */
function forwardRewriting(upstream: string, rewrite: (headers: IncomingHttpHeaders) => void) {
  const target = new URL(upstream);
  return async (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const forwarded = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        resolve,
      );
      forwarded.once("error", reject);
      forwarded.end(Buffer.concat(parts));
    });
    const body: Buffer[] = [];
    for await (const part of answer) body.push(part as Buffer);
    const headers = { ...answer.headers };
    rewrite(headers);
    res.writeHead(answer.statusCode ?? 502, headers);
    res.end(Buffer.concat(body));
  };
}

describe.each(REGISTRY_KINDS)("broken answers in front of %s", (kind) => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onUncaught);
    registry = await startRegistry(kind);
    proxy = await startFaultProxy({ upstream: registry.url, seed: 11 });
  });
  afterAll(async () => {
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
    await proxy?.close();
    await registry?.stop();
  });
  afterEach(async () => {
    proxy.setRules([]);
    // Give a stray rejection or an error thrown from an event handler the time to surface before checking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uncaught).toEqual([]);
  });

  /** A direct client for setup, and one behind the fault proxy, warmed up so that the token handshake is done. */
  async function clients(repository: string) {
    const { client: direct } = registry.connect();
    const credential =
      kind === "emulator" ? new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password) : undefined;
    const proxied = new ContainerRegistryClient(proxy.url, credential, { retry: { limit: 1, backoffLimitMs: 10 } });
    await proxied.blobExists(repository, WRONG);
    await proxied.uploadBlob(repository, `warm-up ${repository}`);
    return { direct, proxied };
  }

  it("errors the body with DigestValidationError (expected, actual) when a byte is flipped, and nothing escapes", async () => {
    const repository = uniqueRepository("flip");
    const { direct, proxied } = await clients(repository);
    const data = patterned(100_000, 1);
    await direct.uploadBlob(repository, data);
    proxy.setRules([{ method: "GET", path: blobGet, fault: { kind: "flip-byte", at: 54_321 } }]);
    const download = await proxied.downloadBlob(repository, sha256(data));
    const error = await readAll(download.body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DigestValidationError);
    const flipped = data.slice();
    flipped[54_321] = flipped[54_321]! ^ 0xff;
    expect(error).toMatchObject({ expected: sha256(data), actual: sha256(flipped) });
  });

  it("errors with DigestValidationError when piped into a sink, and the sink sees the abort", async () => {
    const repository = uniqueRepository("flip-pipe");
    const { direct, proxied } = await clients(repository);
    const data = patterned(80_000, 2);
    await direct.uploadBlob(repository, data);
    proxy.setRules([{ method: "GET", path: blobGet, fault: { kind: "flip-byte", at: 79_999 } }]);
    const download = await proxied.downloadBlob(repository, sha256(data));
    let aborted: unknown;
    const sink = new WritableStream<Uint8Array>({ abort: (reason) => void (aborted = reason) });
    await expect(download.body.pipeTo(sink)).rejects.toBeInstanceOf(DigestValidationError);
    expect(aborted).toBeInstanceOf(DigestValidationError);
  });

  it("does not raise an unhandled rejection when a mismatching body is never read, or cancelled", async () => {
    const repository = uniqueRepository("flip-unread");
    const { direct, proxied } = await clients(repository);
    const data = patterned(5_000, 3);
    await direct.uploadBlob(repository, data);
    proxy.log.length = 0;
    proxy.setRules([{ method: "GET", path: blobGet, times: 2, fault: { kind: "flip-byte", at: 0 } }]);
    const unread = await proxied.downloadBlob(repository, sha256(data));
    const cancelled = await proxied.downloadBlob(repository, sha256(data));
    await cancelled.body.cancel("not needed");
    expect(unread.body.locked).toBe(false);
    // Both answers were corrupted: each download met the mismatch it must not report unasked.
    expect(proxy.log.filter((entry) => entry.fault === "flip-byte")).toHaveLength(2);
    // A rejection nobody handles surfaces within a few ticks: none must.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uncaught, "an unhandled rejection or uncaught exception").toEqual([]);
  });

  it("gives DigestValidationError when the body ends early under a smaller Content-Length", async () => {
    const repository = uniqueRepository("short-length");
    const { direct, proxied } = await clients(repository);
    const data = patterned(50_000, 4);
    await direct.uploadBlob(repository, data);
    proxy.setRules([
      { method: "GET", path: blobGet, fault: { kind: "truncate", afterBytes: 20_000, mode: "short-length" } },
    ]);
    const download = await proxied.downloadBlob(repository, sha256(data));
    await expect(readAll(download.body)).rejects.toMatchObject({
      name: "DigestValidationError",
      expected: sha256(data),
      actual: sha256(data.subarray(0, 20_000)),
    });
  });

  it("gives a RegistryError with the status for an HTML error page on a blob GET, after the retries", async () => {
    const repository = uniqueRepository("html-blob");
    const { direct, proxied } = await clients(repository);
    const { digest } = await direct.uploadBlob(repository, patterned(3_000, 5));
    proxy.setRules([{ method: "GET", path: blobGet, times: Infinity, fault: { kind: "html-error", status: 502 } }]);
    const error = (await proxied.downloadBlob(repository, digest).catch((caught: unknown) => caught)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.statusCode).toBe(502);
    // The page may be quoted, but bounded: a huge error page must not flood the message.
    expect(error.message.length).toBeLessThan(1_000);
  });

  it("gives a RegistryError for an HTML error page on a manifest GET and on an upload PATCH", async () => {
    const repository = uniqueRepository("html-manifest");
    const { direct, proxied } = await clients(repository);
    await direct.setManifest(repository, (await pushImageBlobs(direct, repository)).manifest, { tag: "v1" });
    proxy.setRules([
      { method: "GET", path: manifestPath, times: Infinity, fault: { kind: "html-error", status: 503 } },
    ]);
    await expect(proxied.getManifest(repository, "v1")).rejects.toMatchObject({
      name: "RegistryError",
      statusCode: 503,
    });
    proxy.setRules([{ method: "PATCH", times: Infinity, fault: { kind: "html-error", status: 400 } }]);
    await expect(proxied.uploadBlob(repository, patterned(5000, 6), { chunkSize: 1000 })).rejects.toMatchObject({
      name: "RegistryError",
      statusCode: 400,
    });
  });

  it("gives DigestValidationError when the registry answers an upload with another Docker-Content-Digest", async () => {
    const repository = uniqueRepository("wrong-upload-digest");
    const { proxied } = await clients(repository);
    for (const size of [100, 2500]) {
      const data = patterned(size, size);
      proxy.setRules([
        {
          method: "PUT",
          path: /\/blobs\/uploads\//,
          fault: {
            kind: "custom",
            name: "wrong digest",
            handle: forwardRewriting(registry.url, (headers) => void (headers["docker-content-digest"] = WRONG)),
          },
        },
      ]);
      const error = await proxied.uploadBlob(repository, data, { chunkSize: 1000 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DigestValidationError);
      expect(error).toMatchObject({ expected: sha256(data), actual: WRONG });
    }
  });

  it("gives DigestValidationError when the registry answers a manifest PUT with another Docker-Content-Digest", async () => {
    const repository = uniqueRepository("wrong-manifest-digest");
    const { direct, proxied } = await clients(repository);
    const { manifest } = await pushImageBlobs(direct, repository);
    proxy.setRules([
      {
        method: "PUT",
        path: manifestPath,
        fault: {
          kind: "custom",
          name: "wrong digest",
          handle: forwardRewriting(registry.url, (headers) => void (headers["docker-content-digest"] = WRONG)),
        },
      },
    ]);
    await expect(proxied.setManifest(repository, manifest, { tag: "v1" })).rejects.toMatchObject({
      name: "DigestValidationError",
      actual: WRONG,
    });
  });

  it("verifies a manifest read by digest and by tag against its bytes and Docker-Content-Digest", async () => {
    const repository = uniqueRepository("manifest-verify");
    const { direct, proxied } = await clients(repository);
    const digest = await direct.setManifest(repository, (await pushImageBlobs(direct, repository)).manifest, {
      tag: "v1",
    });
    // A changed byte: by digest, the bytes do not match what was asked for.
    proxy.setRules([{ method: "GET", path: manifestPath, fault: { kind: "flip-byte", at: 20 } }]);
    await expect(proxied.getManifest(repository, digest)).rejects.toMatchObject({
      name: "DigestValidationError",
      expected: digest,
    });
    // By tag, the bytes are checked against the header the registry sent.
    proxy.setRules([{ method: "GET", path: manifestPath, fault: { kind: "flip-byte", at: 20 } }]);
    await expect(proxied.getManifest(repository, "v1")).rejects.toMatchObject({
      name: "DigestValidationError",
      expected: digest,
    });
    // A lying header with intact bytes is refused too.
    proxy.setRules([
      {
        method: "GET",
        path: manifestPath,
        fault: {
          kind: "custom",
          name: "wrong digest",
          handle: forwardRewriting(registry.url, (headers) => void (headers["docker-content-digest"] = WRONG)),
        },
      },
    ]);
    await expect(proxied.getManifest(repository, "v1")).rejects.toMatchObject({
      name: "DigestValidationError",
      expected: WRONG,
      actual: digest,
    });
    // Without the header the tag's bytes are trusted as they are, and the digest is computed.
    proxy.setRules([
      { method: "GET", path: manifestPath, fault: { kind: "drop-header", header: "docker-content-digest" } },
    ]);
    expect((await proxied.getManifest(repository, "v1")).digest).toBe(digest);
  });

  it("refuses a manifest answer over 4 MiB with a RangeError, declared or streamed", async () => {
    const repository = uniqueRepository("manifest-too-big");
    const { proxied } = await clients(repository);
    const huge = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      annotations: { pad: "x".repeat(MAX_MANIFEST_SIZE) },
    });
    const answer = (chunked: boolean) => async (req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      const headers: Record<string, string> = {
        "content-type": "application/vnd.oci.image.manifest.v1+json",
        "docker-content-digest": sha256(huge),
      };
      if (!chunked) headers["content-length"] = String(Buffer.byteLength(huge));
      res.writeHead(200, headers);
      res.end(huge);
    };
    for (const chunked of [false, true]) {
      proxy.setRules([
        {
          method: "GET",
          path: manifestPath,
          fault: { kind: "custom", name: "huge manifest", handle: answer(chunked) },
        },
      ]);
      await expect(proxied.getManifest(repository, "v1")).rejects.toThrow(RangeError);
    }
  });
});
