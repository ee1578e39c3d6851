import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BasicCredential,
  ContainerRegistryClient,
  DigestValidationError,
  NetworkError,
  type TransferProgress,
} from "../../../../src/index";
import { createEmulator } from "../../../../src/emulator/index";
import { startFaultProxy, type FaultProxy } from "../../../support/fault-proxy";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";
import {
  EMULATOR_USER,
  patterned,
  readAll,
  REGISTRY_KINDS,
  sha256,
  startRegistry,
  uniqueRepository,
  type TestRegistry,
} from "./support";

const blobPath = /\/blobs\/sha256:/;

describe.each(REGISTRY_KINDS)("downloadBlob against %s", (kind) => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry(kind);
    proxy = await startFaultProxy({ upstream: registry.url, seed: 3 });
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });
  afterEach(() => proxy.setRules([]));

  /** A client that talks to the registry through the fault proxy. */
  function proxiedClient() {
    const { client } = registry.connect();
    return {
      direct: client,
      proxied: new ContainerRegistryClient(
        proxy.url,
        kind === "emulator" ? new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password) : undefined,
      ),
    };
  }

  it("streams the blob, verifies it and reports progress up to the size", async () => {
    const repository = uniqueRepository("download");
    const data = patterned(300_001, 2);
    const { client } = registry.connect();
    await client.uploadBlob(repository, data);
    const events: TransferProgress[] = [];
    const download = await client.downloadBlob(repository, sha256(data), {
      onProgress: (event) => events.push({ ...event }),
    });
    expect(download.digest).toBe(sha256(data));
    expect(download.size).toBe(data.byteLength);
    expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(data))).toBe(true);
    expect(events.at(-1)).toEqual({ loaded: data.byteLength, total: data.byteLength });
    expect(events.every((event, index) => index === 0 || event.loaded > events[index - 1]!.loaded)).toBe(true);
  });

  it("downloads an empty blob as an empty, verified stream", async () => {
    const repository = uniqueRepository("empty");
    const { client } = registry.connect();
    await client.uploadBlob(repository, "");
    const download = await client.downloadBlob(repository, sha256(""));
    expect(download.size).toBe(0);
    expect((await readAll(download.body)).byteLength).toBe(0);
  });

  it(
    "resumes a cut download with a Range request for exactly the missing bytes (206)",
    { timeout: 20_000 },
    async () => {
      const repository = uniqueRepository("resume");
      const data = patterned(200_000, 8);
      const { direct, proxied } = proxiedClient();
      await direct.uploadBlob(repository, data);
      // The connection ends cleanly (FIN) after 65 536 body bytes of a 200 000-byte answer.
      // Warm up: the emulator's token handshake happens now, so the fault hits the blob GET and not its 401.
      await proxied.blobExists(repository, sha256(data));
      proxy.setRules([
        { method: "GET", path: blobPath, fault: { kind: "truncate", afterBytes: 65_536, mode: "close" } },
      ]);
      proxy.log.length = 0;
      const download = await proxied.downloadBlob(repository, sha256(data));
      expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(data))).toBe(true);
      const gets = proxy.log.filter(
        (entry) => entry.method === "GET" && blobPath.test(entry.path) && entry.status !== 401,
      );
      expect(gets.map((entry) => entry.responseBytes)).toEqual([65_536, data.byteLength - 65_536]);
      expect(gets[1]!.status).toBe(206);
    },
  );

  it("fails, without hanging, when every connection is cut and resuming runs out", { timeout: 20_000 }, async () => {
    const repository = uniqueRepository("resume-exhausted");
    const data = patterned(200_000, 9);
    const { direct, proxied } = proxiedClient();
    await direct.uploadBlob(repository, data);
    proxy.setRules([
      { method: "GET", path: blobPath, times: Infinity, fault: { kind: "truncate", afterBytes: 1000, mode: "close" } },
    ]);
    await proxied.blobExists(repository, sha256(data));
    proxy.log.length = 0;
    const download = await proxied.downloadBlob(repository, sha256(data), { maxResumes: 3 });
    const error = await readAll(download.body).catch((caught: unknown) => caught);
    // The runtime's raw "terminated" comes out as acrkit's NetworkError, with the cause kept.
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBeInstanceOf(Error);
    expect(
      proxy.log.filter((entry) => entry.method === "GET" && blobPath.test(entry.path) && entry.status !== 401).length,
    ).toBe(4);
  });

  it("answers an unknown blob with a RegistryError 404 before any body", async () => {
    const { client } = registry.connect();
    const repository = uniqueRepository("unknown");
    await client.uploadBlob(repository, "present");
    await expect(client.downloadBlob(repository, sha256("absent"))).rejects.toMatchObject({ statusCode: 404 });
  });

  it("deletes a blob, after which it is gone; deleting it again is not an error", async () => {
    const repository = uniqueRepository("delete-blob");
    const { client } = registry.connect();
    const { digest } = await client.uploadBlob(repository, patterned(1500, 4));
    expect(await client.blobExists(repository, digest)).toBe(true);
    await client.deleteBlob(repository, digest);
    expect(await client.blobExists(repository, digest)).toBe(false);
    await expect(client.deleteBlob(repository, digest)).resolves.toBeUndefined();
  });
});

describe("downloadBlob through ACR-style redirects to storage (emulator redirectBlobs)", () => {
  let started: StartedEmulator;
  beforeAll(async () => {
    started = await startEmulator({ users: { [EMULATOR_USER.username]: EMULATOR_USER.password }, redirectBlobs: true });
  });
  afterAll(async () => {
    await started?.close();
  });

  it("follows the 307 to the storage origin without ever sending Authorization there", async () => {
    expect(started.server.storageUrl).toBeDefined();
    expect(new URL(started.server.storageUrl!).origin).not.toBe(new URL(started.url).origin);
    const client = new ContainerRegistryClient(
      started.url,
      new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password),
    );
    const repository = uniqueRepository("redirect");
    const data = patterned(50_000, 12);
    await client.uploadBlob(repository, data, { chunkSize: 16_384 });
    started.emulator.clearRequests();

    const download = await client.downloadBlob(repository, sha256(data));
    expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(data))).toBe(true);

    const log = started.emulator.requests.map((entry) => ({ ...entry }));
    const registryGets = log.filter(
      (entry) => entry.origin === "registry" && entry.method === "GET" && entry.path.includes("/blobs/"),
    );
    const storage = log.filter((entry) => entry.origin === "storage");
    expect(registryGets.at(-1)).toMatchObject({ status: 307, auth: "bearer" });
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.map((entry) => entry.auth)).toEqual(storage.map(() => "none"));
    expect(storage.map((entry) => entry.status)).toEqual(storage.map(() => 200));
  });

  it("the storage origin really refuses Authorization, so the test above would see a leak", async () => {
    const repository = uniqueRepository("redirect-proof");
    const client = new ContainerRegistryClient(
      started.url,
      new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password),
    );
    const { digest } = await client.uploadBlob(repository, "proof");
    const token = `Basic ${Buffer.from(`${EMULATOR_USER.username}:${EMULATOR_USER.password}`).toString("base64")}`;
    const first = await fetch(`${started.url}/v2/${repository}/blobs/${digest}`, {
      headers: { authorization: token },
      redirect: "manual",
    });
    expect(first.status).toBe(307);
    const location = first.headers.get("location")!;
    expect((await fetch(location, { headers: { authorization: token } })).status).toBe(403);
    expect(await (await fetch(location)).text()).toBe("proof");
  });

  it("verifies the digest of what storage sends and resumes there too", async () => {
    const repository = uniqueRepository("redirect-verify");
    const client = new ContainerRegistryClient(
      started.url,
      new BasicCredential(EMULATOR_USER.username, EMULATOR_USER.password),
    );
    const data = patterned(70_000, 13);
    await client.uploadBlob(repository, data);
    const download = await client.downloadBlob(repository, sha256(data));
    expect(download.size).toBe(70_000);
    expect(sha256(await readAll(download.body))).toBe(sha256(data));
  });
});

describe("downloadBlob with the emulator as an in-process fetch", () => {
  it("reads an empty blob whose response has no body at all", async () => {
    const emulator = createEmulator({ authRequired: false });
    const client = new ContainerRegistryClient("http://registry.test", undefined, {
      fetch: (request) => emulator.fetch(request),
    });
    const repository = uniqueRepository("in-process");
    await client.uploadBlob(repository, new Uint8Array(0));
    const download = await client.downloadBlob(repository, sha256(""));
    expect(download.size).toBe(0);
    expect((await readAll(download.body)).byteLength).toBe(0);
    const data = patterned(10_000, 3);
    await client.uploadBlob(repository, data, { chunkSize: 4096 });
    expect(sha256(await readAll((await client.downloadBlob(repository, sha256(data))).body))).toBe(sha256(data));
  });
});

describe("downloadBlob of a 200 without Content-Length (chunked transfer encoding)", () => {
  const data = patterned(50_000, 9);
  let server: Server;
  let url: string;
  let body: Uint8Array = data;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      // No Content-Length: Node sends the body chunked, in the pieces written.
      response.writeHead(200, { "content-type": "application/octet-stream", "docker-content-digest": sha256(data) });
      if (request.method === "HEAD") return void response.end();
      for (let offset = 0; offset < body.byteLength; offset += 16_384)
        response.write(body.subarray(offset, offset + 16_384));
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("accepts it, verifies the digest over the bytes, and gives the known size or undefined", async () => {
    body = data;
    const client = new ContainerRegistryClient(url);
    const progress: TransferProgress[] = [];
    const download = await client.downloadBlob("chunked/app", sha256(data), {
      onProgress: (event) => progress.push(event),
    });
    expect([undefined, data.byteLength]).toContain(download.size);
    expect(await readAll(download.body)).toEqual(data);
    expect(progress.at(-1)?.loaded).toBe(data.byteLength);
  });

  it("still fails with DigestValidationError when the chunked bytes are not the blob", async () => {
    body = patterned(50_000, 10);
    const client = new ContainerRegistryClient(url);
    const download = await client.downloadBlob("chunked/app", sha256(data));
    await expect(readAll(download.body)).rejects.toBeInstanceOf(DigestValidationError);
  });
});
