/**
 * What importing acrkit/node changes on Node (index.ts, runtime.ts): clients without a `fetch` option send on
 * node:http(s), seen on Node's own `http.client.request.start` channel; a caller's `fetch` always wins; Deno, Bun and
 * a proxied Node keep fetch. And whole transfers on it: a streamed upload and a verified download through
 * docker-registry, a gzip-encoded blob (registry-quirks row 34) verified.
 */
import { createHash, randomBytes } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AnonymousCredential, ContainerRegistryClient } from "../../../../../src/platform/node/index";
import { sendsOnNodeHttp } from "../../../../../src/platform/node/http-transport/runtime";
import { startDockerRegistry, type RunningDockerRegistry } from "../../../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../../../support/emulator";
import { startScriptedServer, type ScriptedServer } from "../../../../support/scripted-server";

const MIB = 1024 * 1024;
const onNodeHttp: string[] = [];
const record = (message: unknown) => {
  const { request } = message as { request: { method: string; path: string } };
  onNodeHttp.push(`${request.method} ${request.path}`);
};
beforeAll(() => subscribe("http.client.request.start", record));
afterAll(() => unsubscribe("http.client.request.start", record));
afterEach(() => void (onNodeHttp.length = 0));

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("which fetch a client sends on", () => {
  let registry: StartedEmulator;
  beforeAll(async () => {
    registry = await startEmulator({ anonymousPull: true });
    await registry.emulator.seedImage({ repository: "app", tags: ["v1"] });
  });
  afterAll(() => registry.close());

  it("without a fetch option: node:http, every request of the call", async () => {
    const client = new ContainerRegistryClient(registry.url, new AnonymousCredential());
    await client.getTagProperties("app", "v1");
    expect(onNodeHttp).toContain("GET /acr/v1/app/_tags/v1");
  });

  it("with a fetch option: that fetch, and nothing on node:http", async () => {
    const seen: string[] = [];
    const client = new ContainerRegistryClient(registry.url, new AnonymousCredential(), {
      fetch: (request) => (seen.push(`${request.method} ${new URL(request.url).pathname}`), fetch(request)),
    });
    await client.getTagProperties("app", "v1");
    expect(seen).toContain("GET /acr/v1/app/_tags/v1");
    expect(onNodeHttp).toEqual([]);
  });

  it("with a logger: still node:http, and the logger sees every request", async () => {
    const lines: string[] = [];
    const client = new ContainerRegistryClient(registry.url, new AnonymousCredential(), {
      logger: (entry) => lines.push(`${entry.method} ${entry.status}`),
    });
    await client.getTagProperties("app", "v1");
    expect(lines).toContain("GET 200");
    expect(onNodeHttp).toContain("GET /acr/v1/app/_tags/v1");
  });
});

describe("sendsOnNodeHttp", () => {
  const scope = globalThis as { Deno?: unknown; Bun?: unknown };
  it("is true on Node, false where Deno or Bun run acrkit/node", () => {
    expect(sendsOnNodeHttp()).toBe(true);
    for (const runtime of ["Deno", "Bun"] as const) {
      scope[runtime] = {};
      try {
        expect(sendsOnNodeHttp()).toBe(false);
      } finally {
        delete scope[runtime];
      }
    }
  });

  it("is false when NODE_USE_ENV_PROXY asks Node to send through the environment's proxy", () => {
    const saved = process.env.NODE_USE_ENV_PROXY;
    process.env.NODE_USE_ENV_PROXY = "1";
    try {
      expect(sendsOnNodeHttp()).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NODE_USE_ENV_PROXY;
      else process.env.NODE_USE_ENV_PROXY = saved;
    }
  });
});

describe("whole transfers on node:http", () => {
  let docker: RunningDockerRegistry;
  let scripted: ScriptedServer;
  beforeAll(async () => {
    docker = await startDockerRegistry();
    scripted = await startScriptedServer();
  });
  afterAll(async () => {
    await docker.stop();
    await scripted.close();
  });

  it("docker-registry: a 40 MiB streamed upload in chunks, then its verified download", async () => {
    const client = new ContainerRegistryClient(docker.url, new AnonymousCredential(), { chunkSize: 8 * MIB });
    const blob = randomBytes(40 * MIB);
    const digest = `sha256:${createHash("sha256").update(blob).digest("hex")}`;
    const source = new Blob([blob]).stream();
    expect((await client.uploadBlob("node/http", source)).digest).toBe(digest);
    const download = await client.downloadBlob("node/http", digest);
    expect((await bytesOf(download.body)).equals(blob)).toBe(true);
    expect(onNodeHttp.filter((line) => line.startsWith("PATCH")).length).toBeGreaterThanOrEqual(5);
  });

  it("a gzip-encoded blob (registry-quirks row 34) is decoded and verified; its encoded length is not its size", async () => {
    const blob = Buffer.from("layer bytes ".repeat(10_000));
    const digest = `sha256:${createHash("sha256").update(blob).digest("hex")}`;
    const encoded = gzipSync(blob);
    const asked: (string | undefined)[] = [];
    scripted.handle((request, response) => {
      asked.push(request.headers["accept-encoding"]);
      response.writeHead(200, { "content-encoding": "gzip", "content-length": String(encoded.length) }).end(encoded);
    });
    const client = new ContainerRegistryClient(scripted.base, new AnonymousCredential());
    const download = await client.downloadBlob("app", digest);
    expect(download.size).toBeUndefined();
    expect((await bytesOf(download.body)).equals(blob)).toBe(true);
    // acrkit asks for the stored bytes (download-coping.test.ts); the quirk's server encodes anyway.
    expect(asked[0]).toBe("identity");
  });
});
