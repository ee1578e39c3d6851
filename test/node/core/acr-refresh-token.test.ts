import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BasicCredential,
  NetworkError,
  ContainerRegistryClient,
  RefreshTokenCredential,
  getAcrRefreshToken,
  type RequestLogEntry,
} from "../../../src/index";
import { countingTokenCredential } from "../../support/clients";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { startDockerRegistry, type RunningDockerRegistry } from "../../support/docker-registry";

describe("getAcrRefreshToken", () => {
  let acr: StartedEmulator;
  let distribution: RunningDockerRegistry;
  beforeAll(async () => {
    [acr, distribution] = await Promise.all([startEmulator(), startDockerRegistry()]);
  });
  afterAll(async () => {
    await Promise.all([acr?.close(), distribution?.stop()]);
  });

  it("learns the token service from one challenge, exchanges once, and the token reads the registry", async () => {
    const log: RequestLogEntry[] = [];
    const credential = countingTokenCredential();
    const { refreshToken } = await getAcrRefreshToken(acr.url, credential, { logger: (entry) => log.push(entry) });
    expect(refreshToken.length).toBeGreaterThan(20);
    expect(credential.calls).toBe(1);
    expect(log.map((entry) => `${entry.method} ${new URL(entry.url).pathname} ${entry.status}`)).toEqual([
      "GET /v2/ 401",
      "POST /oauth2/exchange 200",
    ]);
    // The token is what docker hands to other tools; acrkit takes it back as a RefreshTokenCredential.
    const reader = new ContainerRegistryClient(acr.url, new RefreshTokenCredential(refreshToken));
    await expect(reader.listRepositoryNames().byPage().next()).resolves.toBeDefined();
  });

  it("a client whose requests obtained a refresh token already hands it out without a request", async () => {
    const log: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(acr.url, countingTokenCredential(), {
      logger: (entry) => log.push(entry),
    });
    await client.getRepositoryProperties("nothing-here").catch(() => undefined);
    log.length = 0;
    const token = await client.getAcrRefreshToken();
    expect(token.length).toBeGreaterThan(20);
    // The exchange the metadata call made is reused: no request at all.
    expect(log).toEqual([]);
  });

  it("refuses a registry without a Bearer challenge, and a client without an Entra ID credential, with AuthenticationError", async () => {
    await expect(getAcrRefreshToken(distribution.url, countingTokenCredential())).rejects.toThrow(AuthenticationError);
    await expect(getAcrRefreshToken(distribution.url, countingTokenCredential())).rejects.toThrow(
      "asks for no token (its challenge to GET /v2/ names no token realm)",
    );
    const basic = new ContainerRegistryClient(acr.url, new BasicCredential("admin", "secret-password"));
    await expect(basic.getAcrRefreshToken()).rejects.toThrow(/needs a TokenCredential/);
  });
});

describe("getAcrRefreshToken against a hostile token service", () => {
  const AAD = "aad-token-that-must-not-show";
  let server: Server;
  let url: string;
  let behave: (path: string, res: import("node:http").ServerResponse) => void = () => undefined;
  const seen: { path: string; authorization?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
      if (req.url === "/v2/")
        return void res
          .writeHead(401, {
            "www-authenticate": `Bearer realm="${url}/oauth2/token",service="hostile"`,
            "content-length": 0,
          })
          .end();
      behave(req.url ?? "", res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("a stalled exchange ends in a NetworkError timeout after the retries, not a hang", async () => {
    behave = () => undefined;
    const error = await getAcrRefreshToken(url, countingTokenCredential(AAD), {
      timeout: 300,
      retry: { limit: 1 },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).reason).toBe("timeout");
    expect(seen.filter((entry) => entry.path === "/oauth2/exchange")).toHaveLength(2);
  });

  it("an exchange that echoes the Entra ID token back is refused without showing it", async () => {
    behave = (_path, res) =>
      void res
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: `bad token ${AAD}` }] }));
    const error = await getAcrRefreshToken(url, countingTokenCredential(AAD)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(AAD);
  });
});
