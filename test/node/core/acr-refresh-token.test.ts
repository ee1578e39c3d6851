import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, BasicCredential, ContainerRegistryClient, RefreshTokenCredential, getAcrRefreshToken, type RequestLogEntry } from "../../../src/index";
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
    expect(log.map((entry) => `${entry.method} ${new URL(entry.url).pathname} ${entry.status}`)).toEqual(["GET /v2/ 401", "POST /oauth2/exchange 200"]);
    // The token is what docker hands to other tools; acrkit takes it back as a RefreshTokenCredential.
    const reader = new ContainerRegistryClient(acr.url, new RefreshTokenCredential(refreshToken));
    await expect(reader.listRepositoryNames().byPage().next()).resolves.toBeDefined();
  });

  it("a client whose requests obtained a refresh token already hands it out without a request", async () => {
    const log: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(acr.url, countingTokenCredential(), { logger: (entry) => log.push(entry) });
    await client.getRepositoryProperties("nothing-here").catch(() => undefined);
    log.length = 0;
    const token = await client.getAcrRefreshToken();
    expect(token.length).toBeGreaterThan(20);
    // The exchange the metadata call made is reused: no request at all.
    expect(log).toEqual([]);
  });

  it("refuses a registry without a Bearer challenge, and a client without an Entra ID credential, with AuthenticationError", async () => {
    await expect(getAcrRefreshToken(distribution.url, countingTokenCredential())).rejects.toThrow(AuthenticationError);
    await expect(getAcrRefreshToken(distribution.url, countingTokenCredential())).rejects.toThrow("asks for no token (its challenge to GET /v2/ names no token realm)");
    const basic = new ContainerRegistryClient(acr.url, new BasicCredential("admin", "secret-password"));
    await expect(basic.getAcrRefreshToken()).rejects.toThrow(/needs a TokenCredential/);
  });
});
