import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BasicCredential,
  ContainerRegistryClient,
  StaticTokenCredential,
} from "../../../../src/index";
import { ADMIN, countingTokenCredential } from "../../../support/clients";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

let registry: StartedEmulator;
let clockOffset = 0;

beforeAll(async () => {
  registry = await startEmulator({
    users: { [ADMIN.username]: ADMIN.password },
    anonymousPull: true,
    clock: () => Date.now() + clockOffset,
  });
  await registry.emulator.seedImage({ repository: "auth/one", tags: ["v1"] });
  await registry.emulator.seedImage({ repository: "auth/two", tags: ["v1"] });
});
afterAll(() => registry.close());

function countRequests(from: number, path: string, method?: string): number {
  return registry.emulator.requests
    .slice(from)
    .filter((r) => r.path.split("?")[0] === path && (!method || r.method === method)).length;
}

describe("token flow and request counts", () => {
  it("pays the challenge once, then exactly one HTTP request per metadata call", async () => {
    const credential = countingTokenCredential();
    const client = new ContainerRegistryClient(registry.url, credential);
    const start = registry.emulator.requests.length;
    await client.getRepositoryProperties("auth/one");
    // cold: 401, exchange, token, retried call
    expect(registry.emulator.requests.length - start).toBe(4);
    expect(countRequests(start, "/oauth2/exchange", "POST")).toBe(1);

    const warm = registry.emulator.requests.length;
    for (let i = 0; i < 5; i++) await client.getTagProperties("auth/one", "v1");
    expect(registry.emulator.requests.length - warm).toBe(5);
    expect(registry.emulator.requests.slice(warm).every((r) => r.auth === "bearer" && r.status === 200)).toBe(true);

    // A new scope on a warm client: the token is fetched up front (no 401) and the refresh token is reused.
    const newScope = registry.emulator.requests.length;
    await client.getRepositoryProperties("auth/two");
    expect(
      registry.emulator.requests.slice(newScope).map((r) => `${r.method} ${r.path.split("?")[0]} ${r.status}`),
    ).toEqual(["POST /oauth2/token 200", "GET /acr/v1/auth/two 200"]);
    expect(credential.calls).toBe(1);
  });

  it("single-flights 50 concurrent cold requests into one exchange and one token request", async () => {
    const client = new ContainerRegistryClient(registry.url, countingTokenCredential());
    const start = registry.emulator.requests.length;
    const results = await Promise.all(Array.from({ length: 50 }, () => client.getTagProperties("auth/one", "v1")));
    expect(results.every((tag) => tag.name === "v1")).toBe(true);
    expect(countRequests(start, "/oauth2/exchange")).toBe(1);
    expect(countRequests(start, "/oauth2/token")).toBe(1);
  });

  it("drops a token the registry refuses and retries once with a fresh one", async () => {
    const client = new ContainerRegistryClient(registry.url, countingTokenCredential());
    await client.getTagProperties("auth/one", "v1");
    clockOffset = 2 * 3_600_000; // the emulator now sees the access token as expired; the refresh token still lives
    try {
      const start = registry.emulator.requests.length;
      expect((await client.getTagProperties("auth/one", "v1")).name).toBe("v1");
      expect(registry.emulator.requests.slice(start).map((r) => `${r.path.split("?")[0]} ${r.status}`)).toEqual([
        "/acr/v1/auth/one/_tags/v1 401",
        "/oauth2/token 200",
        "/acr/v1/auth/one/_tags/v1 200",
      ]);
    } finally {
      clockOffset = 0;
    }
  });

  it("uses GET on the realm with Basic credentials", async () => {
    const start = registry.emulator.requests.length;
    await new ContainerRegistryClient(
      registry.url,
      new BasicCredential(ADMIN.username, ADMIN.password),
    ).getRepositoryProperties("auth/one");
    const tokenRequest = registry.emulator.requests.slice(start).find((r) => r.path.startsWith("/oauth2/token"));
    expect(tokenRequest).toMatchObject({ method: "GET", auth: "basic", status: 200 });
  });

  it("uses ACR's anonymous POST for anonymous clients", async () => {
    const start = registry.emulator.requests.length;
    await new ContainerRegistryClient(registry.url).getRepositoryProperties("auth/one");
    const tokenRequest = registry.emulator.requests.slice(start).find((r) => r.path.startsWith("/oauth2/token"));
    expect(tokenRequest).toMatchObject({ method: "POST", auth: "none", status: 200 });
  });

  it("fails with a 401 RegistryError for a wrong password, without the password in it", async () => {
    const log: unknown[] = [];
    const bad = new ContainerRegistryClient(registry.url, new BasicCredential(ADMIN.username, "wrong-password-123"), {
      logger: (e) => log.push(e),
    });
    const error = (await bad.getRepositoryProperties("auth/one").catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ statusCode: 401 });
    expect(
      JSON.stringify({ ...error, message: error.message, stack: error.stack }) + JSON.stringify(log),
    ).not.toContain("wrong-password-123");
  });
});

describe("realm safety", () => {
  let foreign: Server;
  let url: string;
  beforeAll(async () => {
    // A registry whose challenge sends clients to a token server on another host.
    foreign = createServer((_request, response) => {
      response.writeHead(401, {
        "www-authenticate": 'Bearer realm="http://127.0.0.2:9/oauth2/token",service="x"',
        "content-type": "application/json",
      });
      response.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    });
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

  it("never sends credentials to a realm on another host", async () => {
    for (const credential of [new BasicCredential("user", "pw"), new StaticTokenCredential("aad")]) {
      const error = await new ContainerRegistryClient(url, credential, { retry: { limit: 0 } })
        .getRepositoryProperties("a")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as Error).message).toContain("127.0.0.2:9");
    }
  });
});
