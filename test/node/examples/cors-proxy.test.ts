/**
 * examples/cors-proxy against the emulator in redirect mode (ACR's 307 to a storage origin) and against
 * docker-registry (absolute upload Locations).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCorsProxy, type RunningCorsProxy } from "../../../examples/cors-proxy/proxy";
import { BasicCredential, ContainerRegistryClient } from "../../../src/index";
import { startDockerRegistry, type RunningDockerRegistry } from "../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../support/emulator";

const USER = { username: "proxy-user", password: "proxy-password" };
const APP_HTML = "<!doctype html><title>app</title>";

function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

describe("the CORS proxy in front of an emulator that redirects blob reads to storage", () => {
  let emulator: StartedEmulator;
  let proxy: RunningCorsProxy;
  let staticDir: string;
  const layer = new TextEncoder().encode("layer bytes served by the storage origin\n".repeat(2000));
  let layerDigest: string;

  beforeAll(async () => {
    emulator = await startEmulator({ redirectBlobs: true, users: { [USER.username]: USER.password } });
    layerDigest = (await emulator.emulator.seedImage({ repository: "team/app", tags: ["v1"], layers: [layer] }))
      .layerDigests[0]!;
    staticDir = mkdtempSync(join(tmpdir(), "acrkit-proxy-app-"));
    writeFileSync(join(staticDir, "index.html"), APP_HTML);
    proxy = await createCorsProxy({ registry: emulator.url, staticDir }).listen();
  });

  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  /** A client on the proxy that records every URL it fetched and every status it saw. */
  function recordingClient() {
    const seen: Array<{ url: string; status: number }> = [];
    const client = new ContainerRegistryClient(proxy.url, new BasicCredential(USER.username, USER.password), {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        seen.push({ url: input instanceof Request ? input.url : String(input), status: response.status });
        return response;
      },
    });
    return { client, seen };
  }

  it("follows the blob-read 307 server-side, without Authorization, so the client sees one origin", async () => {
    const { client, seen } = recordingClient();
    emulator.emulator.clearRequests();
    const download = await client.downloadBlob("team/app", layerDigest);
    expect(sha256(await readAll(download.body))).toBe(layerDigest);

    expect(seen.every(({ url }) => url.startsWith(`${proxy.url}/`))).toBe(true);
    expect(seen.some(({ status }) => status >= 300 && status < 400)).toBe(false);
    const blobGets = emulator.emulator.requests.filter((entry) => entry.path.includes("/blobs/"));
    expect(blobGets.filter((entry) => entry.origin === "registry" && entry.status === 307)).toMatchObject([
      { method: "GET", auth: "bearer" },
    ]);
    expect(blobGets.filter((entry) => entry.origin === "storage")).toMatchObject([
      { method: "GET", status: 200, auth: "none" },
    ]);
  });

  it("passes Range through to storage", async () => {
    const response = await fetch(`${proxy.url}/v2/team/app/blobs/${layerDigest}`, {
      headers: { authorization: await bearerFor("repository:team/app:pull"), range: "bytes=10-19" },
    });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 10-19/${layer.byteLength}`);
    expect(response.headers.get("docker-content-digest")).toBe(layerDigest);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(layer.subarray(10, 20));
  });

  it("rewrites the challenge realm to its own origin, so the token request stays on it", async () => {
    const response = await fetch(`${proxy.url}/v2/team/app/manifests/v1`);
    await response.body?.cancel();
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain(`realm="${proxy.url}/oauth2/token"`);
    expect(challenge).not.toContain(emulator.url);
  });

  it("runs metadata, upload and manifest operations through the proxy", async () => {
    const { client, seen } = recordingClient();
    const names: string[] = [];
    for await (const name of client.listRepositoryNames()) names.push(name);
    expect(names).toContain("team/app");
    expect((await client.getTagProperties("team/app", "v1")).name).toBe("v1");

    const data = new Uint8Array(3 * 1024 * 1024).map((_, index) => index % 251);
    const uploaded = await client.uploadBlob("team/uploads", data, { chunkSize: 1024 * 1024 });
    expect(uploaded).toEqual({ digest: sha256(data), size: data.byteLength });
    const config = await client.uploadBlob("team/uploads", "{}");
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/vnd.acrkit.proxy-test",
      config: { mediaType: "application/vnd.oci.empty.v1+json", digest: config.digest, size: 2 },
      layers: [{ mediaType: "application/octet-stream", digest: uploaded.digest, size: uploaded.size }],
    };
    const digest = await client.setManifest("team/uploads", manifest, { tag: "latest" });
    expect((await client.getManifest("team/uploads", "latest")).digest).toBe(digest);
    const back = await client.downloadBlob("team/uploads", uploaded.digest);
    expect(sha256(await readAll(back.body))).toBe(uploaded.digest);
    expect(seen.every(({ url }) => url.startsWith(`${proxy.url}/`))).toBe(true);
  });

  it("serves the static app for every other path, and nothing outside its directory", async () => {
    const index = await fetch(`${proxy.url}/`);
    expect(index.headers.get("content-type")).toContain("text/html");
    expect(await index.text()).toBe(APP_HTML);
    for (const path of ["/../package.json", "/%2e%2e/package.json", "/..%2fpackage.json", "/missing.js"]) {
      const response = await fetch(`${proxy.url}${path}`);
      await response.body?.cancel();
      expect(response.status, path).toBe(404);
    }
  });

  it("sends no CORS headers unless asked to, and answers preflights itself when asked", async () => {
    const plain = await fetch(`${proxy.url}/v2/`, { headers: { origin: "http://elsewhere.example" } });
    await plain.body?.cancel();
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();

    const withCors = await createCorsProxy({
      registry: emulator.url,
      cors: { origins: ["http://dev.example"] },
    }).listen();
    try {
      const preflight = await fetch(`${withCors.url}/v2/team/app/blobs/uploads/`, {
        method: "OPTIONS",
        headers: {
          origin: "http://dev.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization",
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("http://dev.example");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
      const other = await fetch(`${withCors.url}/v2/`, { headers: { origin: "http://evil.example" } });
      await other.body?.cancel();
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await withCors.close();
    }
  });

  /** A bearer token for the proxy's registry, fetched through the proxy with Basic credentials. */
  async function bearerFor(scope: string): Promise<string> {
    const query = new URLSearchParams({ service: new URL(emulator.url).host, scope });
    const response = await fetch(`${proxy.url}/oauth2/token?${query}`, {
      headers: { authorization: `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString("base64")}` },
    });
    const body = (await response.json()) as { access_token: string };
    return `Bearer ${body.access_token}`;
  }
});

describe("the CORS proxy in front of docker-registry", () => {
  let registry: RunningDockerRegistry;
  let proxy: RunningCorsProxy;

  beforeAll(async () => {
    registry = await startDockerRegistry();
    proxy = await createCorsProxy({ registry: registry.url }).listen();
  });

  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  it("rewrites absolute upload Locations to its own origin", async () => {
    const response = await fetch(`${proxy.url}/v2/proxied/app/blobs/uploads/`, { method: "POST" });
    await response.body?.cancel();
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toMatch(new RegExp(`^${proxy.url}/v2/proxied/app/blobs/uploads/`));
  });

  it("round-trips a blob through the proxy", async () => {
    const client = new ContainerRegistryClient(proxy.url);
    const { digest } = await client.uploadBlob("proxied/app", "through the proxy");
    expect(sha256(await readAll((await client.downloadBlob("proxied/app", digest)).body))).toBe(
      sha256("through the proxy"),
    );
  });
});
