/**
 * Redirect safety on real loopback servers: Authorization never reaches another origin, redirects are capped, and a
 * redirect from https to http is refused.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient, RegistryError } from "../../../src/platform/node/index";
import { MAX_REDIRECTS } from "../../../src/core/http/redirect-policy";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { FaultReport } from "../../support/faults/report";
import { readAll, sha256 } from "../../support/faults/setup";
import { startLoopbackTls } from "../../support/tls";

const CONTENT = new TextEncoder().encode("redirected blob");
const DIGEST = sha256(CONTENT);
const report = new FaultReport("redirects");
const seen: Array<{ server: "registry" | "storage"; url: string; headers: IncomingHttpHeaders }> = [];
let registry: Server;
let storage: Server;
let registryUrl: string;
let storageUrl: string;
let hops = 0;
let emulator: StartedEmulator;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  storage = createServer((req, res) => {
    seen.push({ server: "storage", url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-length": CONTENT.byteLength }).end(CONTENT);
  });
  registry = createServer((req, res) => {
    seen.push({ server: "registry", url: req.url ?? "", headers: req.headers });
    if (!req.headers.authorization) return void res.writeHead(401, { "www-authenticate": 'Basic realm="r"' }).end();
    if (req.url?.startsWith("/v2/loop/"))
      return void res.writeHead(307, { location: `/v2/loop/blobs/${DIGEST}?hop=${++hops}` }).end();
    if (req.url?.startsWith("/acr/v1/chain")) return void chain(req.url, res);
    if (req.url?.includes("to-http")) return void res.writeHead(307, { location: `http://127.0.0.1:1/blob` }).end();
    res.writeHead(307, { location: `${storageUrl}/blob?sig=abc` }).end();
  });
  [registryUrl, storageUrl] = await Promise.all([listen(registry), listen(storage)]);
  emulator = await startEmulator({ users: { admin: "emulator-password" }, redirectBlobs: true });
});
afterAll(async () => {
  report.write();
  await Promise.all([registry, storage].map((server) => new Promise((resolve) => server.close(resolve))));
  await emulator.close();
});

/**
 * `/acr/v1/chain<n>?hop=k`: redirects to itself with hop k+1 until hop n, then answers the repository's properties;
 * every hop requires Authorization (checked above), so a chain only succeeds if same-origin hops carry it.
 */
function chain(url: string, res: import("node:http").ServerResponse): void {
  const parsed = new URL(url, "http://x");
  const total = Number(parsed.pathname.slice("/acr/v1/chain".length));
  const hop = Number(parsed.searchParams.get("hop") ?? 0);
  if (hop < total) return void res.writeHead(307, { location: `${parsed.pathname}?hop=${hop + 1}` }).end();
  const body = JSON.stringify({
    registry: "r",
    imageName: parsed.pathname.slice("/acr/v1/".length),
    createdTime: "2024-01-01T00:00:00Z",
    lastUpdateTime: "2024-01-01T00:00:00Z",
    manifestCount: 0,
    tagCount: 0,
  });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

const client = (endpoint = registryUrl, options = {}) =>
  new ContainerRegistryClient(endpoint, new BasicCredential("user", "redirect-password"), options);

describe("redirects", () => {
  it("carry Authorization to the registry only, not to the storage origin it redirects to", async () => {
    seen.length = 0;
    const result = await report.operation(() => client().downloadBlob("x", DIGEST));
    expect(await readAll(result.body)).toEqual(CONTENT);
    expect(seen.filter((entry) => entry.server === "registry" && entry.headers.authorization)).not.toHaveLength(0);
    const atStorage = seen.filter((entry) => entry.server === "storage");
    expect(atStorage).toHaveLength(1);
    expect(atStorage[0]!.headers.authorization).toBeUndefined();
  });

  it("do the same against the emulator's storage origin (ACR's 307 to a data endpoint)", async () => {
    const acr = new ContainerRegistryClient(emulator.url, new BasicCredential("admin", "emulator-password"));
    const bytes = new TextEncoder().encode("behind a 307");
    const digest = await emulator.emulator.seedBlob("redirect/app", bytes);
    emulator.emulator.clearRequests();
    const result = await report.operation(() => acr.downloadBlob("redirect/app", digest));
    expect(await readAll(result.body)).toEqual(bytes);
    const storageRequests = emulator.emulator.requests.filter((entry) => entry.origin === "storage");
    expect(storageRequests.length).toBeGreaterThan(0);
    expect(storageRequests.every((entry) => entry.auth === "none")).toBe(true);
  });

  it(`stop after ${MAX_REDIRECTS} hops with a RegistryError`, async () => {
    hops = 0;
    const error = await report.rejects(() => client().downloadBlob("loop", DIGEST), RegistryError);
    expect((error as Error).message).toMatch(/more than 5 redirects/);
    expect(hops).toBeLessThanOrEqual(MAX_REDIRECTS + 1);
  });

  it("on a metadata request: 5 same-origin hops are followed with Authorization, a 6th redirect is refused", async () => {
    seen.length = 0;
    const properties = await report.operation(() => client().getRepositoryProperties("chain5"));
    expect(properties.name).toBe("chain5");
    const chainRequests = seen.filter((entry) => entry.url.startsWith("/acr/v1/chain5"));
    expect(
      chainRequests
        .filter((entry) => entry.headers.authorization)
        .map((entry) => new URL(entry.url, "http://x").searchParams.get("hop")),
    ).toEqual([null, "1", "2", "3", "4", "5"]);

    seen.length = 0;
    const error = await report.rejects(() => client().getRepositoryProperties("chain6"), RegistryError);
    expect((error as Error).message).toMatch(/more than 5 redirects/);
    const hopsSeen = seen
      .filter((entry) => entry.url.startsWith("/acr/v1/chain6") && entry.headers.authorization)
      .map((entry) => Number(new URL(entry.url, "http://x").searchParams.get("hop") ?? 0));
    expect(Math.max(...hopsSeen)).toBe(5);
  });

  it.each([
    ["getRepositoryProperties", (tls: ContainerRegistryClient) => tls.getRepositoryProperties("x")],
    ["getManifest", (tls: ContainerRegistryClient) => tls.getManifest("x", "v1")],
    ["deleteTag", (tls: ContainerRegistryClient) => tls.deleteTag("x", "v1")],
    ["downloadBlob", (tls: ContainerRegistryClient) => tls.downloadBlob("x", DIGEST)],
  ] as const)(
    "refuse a redirect from a real https registry to http (%s): the http target never receives a request",
    async (_name, run) => {
      const downgrade = await startLoopbackTls((req, res) => {
        if (!req.headers.authorization) return void res.writeHead(401, { "www-authenticate": 'Basic realm="r"' }).end();
        res.writeHead(307, { location: `${storageUrl}${req.url}` }).end();
      });
      try {
        const tls = new ContainerRegistryClient(downgrade.url, new BasicCredential("user", "redirect-password"), {
          fetch: downgrade.fetch,
          retry: { limit: 0 },
        });
        seen.length = 0;
        const error = await report.rejects(() => run(tls), RegistryError);
        expect((error as Error).message).toMatch(/from https to http/);
        expect(seen.filter((entry) => entry.server === "storage")).toEqual([]);
      } finally {
        await downgrade.close();
      }
    },
  );

  it("refuse a redirect from https to http", async () => {
    // The client believes it talks https; the loopback hop underneath is plain http (no certificate needed).
    const overHttps = new ContainerRegistryClient(
      "https://127.0.0.1:9",
      new BasicCredential("user", "redirect-password"),
      {
        fetch: (input: Request, init?: RequestInit) => {
          const url = new URL(input.url);
          return fetch(
            url.protocol === "https:" ? new Request(`${registryUrl}${url.pathname}?to-http=1`, input) : input,
            init,
          );
        },
      },
    );
    seen.length = 0;
    const error = await report.rejects(() => overHttps.downloadBlob("x", DIGEST), RegistryError);
    expect((error as Error).message).toMatch(/https to http/);
    expect(seen.every((entry) => entry.server === "registry")).toBe(true);
  });
});
