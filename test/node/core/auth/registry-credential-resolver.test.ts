/**
 * The client asks a RegistryCredentialResolver for its registry's credential on the first challenge, with its
 * endpoint, once for concurrent first requests, and uses the answer as if it had been given directly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BasicCredential,
  ContainerRegistryClient,
  RefreshTokenCredential,
  type RegistryCredential,
  type RegistryCredentialResolver,
} from "../../../../src/index";
import { ADMIN } from "../../../support/clients";
import { type StartedEmulator, startEmulator } from "../../../support/emulator";

let registry: StartedEmulator;

beforeAll(async () => {
  registry = await startEmulator({ users: { [ADMIN.username]: ADMIN.password } });
  await registry.emulator.seedImage({ repository: "resolved/app", tags: ["v1"] });
});
afterAll(() => registry.close());

/** A resolver that answers with `answer` after a short wait and records the endpoints it was asked for. */
function recordingResolver(
  answer: () => RegistryCredential | Promise<RegistryCredential>,
): RegistryCredentialResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    kind: "resolver",
    asked,
    async resolveRegistryCredential(endpoint) {
      asked.push(endpoint.href);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return answer();
    },
  };
}

async function refreshToken(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "access_token",
    service: registry.service,
    access_token: "any-aad-token",
  });
  const response = await fetch(`${registry.url}/oauth2/exchange`, { method: "POST", body: form });
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

describe("RegistryCredentialResolver", () => {
  it("is asked once, with the client's endpoint, by 20 concurrent first requests", async () => {
    const resolver = recordingResolver(() => new BasicCredential(ADMIN.username, ADMIN.password));
    const client = new ContainerRegistryClient(registry.url, resolver);
    const tags = await Promise.all(Array.from({ length: 20 }, () => client.getTagProperties("resolved/app", "v1")));
    expect(tags.every((tag) => tag.name === "v1")).toBe(true);
    expect(resolver.asked).toEqual([`${registry.url}/`]);
    await client.getRepositoryProperties("resolved/app");
    expect(resolver.asked).toHaveLength(1);
  });

  it("a failing resolver is an AuthenticationError whose cause says why, and is asked again next time", async () => {
    let fail = true;
    const resolver = recordingResolver(() => {
      if (fail) throw new Error("no login stored for this host");
      return new BasicCredential(ADMIN.username, ADMIN.password);
    });
    const client = new ContainerRegistryClient(registry.url, resolver);
    const err = await client.getRepositoryProperties("resolved/app").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toBe(`The credential found no usable login for ${registry.service}`);
    expect(((err as Error).cause as Error).message).toBe("no login stored for this host");
    fail = false;
    expect((await client.getRepositoryProperties("resolved/app")).name).toBe("resolved/app");
    expect(resolver.asked).toHaveLength(2);
  });

  it("an answer that is another resolver is refused", async () => {
    const inner = recordingResolver(() => new BasicCredential(ADMIN.username, ADMIN.password));
    const client = new ContainerRegistryClient(
      registry.url,
      recordingResolver(() => inner),
    );
    await expect(client.getRepositoryProperties("resolved/app")).rejects.toThrow(/returned no usable credential/);
    expect(inner.asked).toEqual([]);
  });
});

describe("RefreshTokenCredential", () => {
  it("goes straight to the refresh-token grant: no exchange, and one token request per scope", async () => {
    const client = new ContainerRegistryClient(registry.url, new RefreshTokenCredential(await refreshToken()));
    const start = registry.emulator.requests.length;
    await client.getRepositoryProperties("resolved/app");
    expect(
      registry.emulator.requests.slice(start).map((r) => `${r.method} ${r.path.split("?")[0]} ${r.status}`),
    ).toEqual(["GET /acr/v1/resolved/app 401", "POST /oauth2/token 200", "GET /acr/v1/resolved/app 200"]);
  });

  it("keeps the token private and refuses an empty one", () => {
    const credential = new RefreshTokenCredential("refresh-token-value");
    expect(JSON.stringify(credential)).not.toContain("refresh-token-value");
    expect(credential.refreshToken).toBe("refresh-token-value");
    expect(() => new RefreshTokenCredential("")).toThrow(TypeError);
  });
});
