/**
 * Credentials never go over plain http to a host that is not loopback, unless the caller says so with
 * `allowInsecureConnection: true`: the constructor refuses, before any request. Nothing here reaches the network:
 * the clients that may send get a `fetch` that answers in-process and records what it was asked.
 */
import { describe, expect, it } from "vitest";
import {
  AnonymousCredential,
  BasicCredential,
  ContainerRegistryClient,
  type FetchLike,
  type RegistryCredential,
} from "../../../../src/index";
import { countingTokenCredential } from "../../../support/clients";

/** A fetch that records every request and answers as an open registry would, without any network. */
function inProcessFetch(): { fetch: FetchLike; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: async (input) => {
      requests.push(`${input.method} ${input.url}`);
      const body = JSON.stringify({
        registry: "x",
        imageName: "app",
        createdTime: "2024-01-01T00:00:00Z",
        lastUpdateTime: "2024-01-01T00:00:00Z",
        manifestCount: 0,
        tagCount: 0,
        changeableAttributes: { deleteEnabled: true, writeEnabled: true, listEnabled: true, readEnabled: true },
      });
      return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    },
  };
}

const REMOTE_HTTP = [
  "http://myregistry.azurecr.io",
  "http://registry.example:5000",
  "http://10.0.0.5:5000",
  "http://[2001:db8::1]:5000",
  "http://128.0.0.1:5000",
];
const LOOPBACK_HTTP = ["http://127.0.0.1:5000", "http://127.8.9.10:5000", "http://localhost:5000", "http://[::1]:5000"];
const CREDENTIALS: Array<[string, () => RegistryCredential]> = [
  ["a BasicCredential", () => new BasicCredential("admin", "insecure-test-password")],
  ["a TokenCredential", () => countingTokenCredential()],
];

describe("allowInsecureConnection", () => {
  describe.each(CREDENTIALS)("with %s", (_kind, credential) => {
    it.each(REMOTE_HTTP)(
      "refuses %s in the constructor with a TypeError naming the option, before any request",
      (endpoint) => {
        const { fetch, requests } = inProcessFetch();
        let error: unknown;
        try {
          new ContainerRegistryClient(endpoint, credential(), { fetch });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toContain("allowInsecureConnection");
        expect((error as Error).message).not.toContain("insecure-test-password");
        expect(requests).toEqual([]);
      },
    );

    it.each(REMOTE_HTTP)("refuses %s also with allowInsecureConnection: false", (endpoint) => {
      expect(
        () =>
          new ContainerRegistryClient(endpoint, credential(), {
            allowInsecureConnection: false,
            fetch: inProcessFetch().fetch,
          }),
      ).toThrow(TypeError);
    });

    it.each(LOOPBACK_HTTP)("allows the loopback endpoint %s", (endpoint) => {
      expect(new ContainerRegistryClient(endpoint, credential(), { fetch: inProcessFetch().fetch }).endpoint).toBe(
        `${endpoint}/`,
      );
    });

    it.each(["https://myregistry.azurecr.io", "myregistry.azurecr.io"])("allows https (%s)", (endpoint) => {
      expect(
        () => new ContainerRegistryClient(endpoint, credential(), { fetch: inProcessFetch().fetch }),
      ).not.toThrow();
    });

    it("allows a remote http endpoint with allowInsecureConnection: true, and the client then works", async () => {
      const { fetch, requests } = inProcessFetch();
      const client = new ContainerRegistryClient("http://registry.example:5000", credential(), {
        allowInsecureConnection: true,
        fetch,
      });
      expect(client.endpoint).toBe("http://registry.example:5000/");
      expect((await client.getRepositoryProperties("app")).name).toBe("app");
      expect(requests).toEqual(["GET http://registry.example:5000/acr/v1/app"]);
    });
  });

  it.each([
    ["no credential", undefined],
    ["an AnonymousCredential", new AnonymousCredential()],
  ])("allows anonymous access over remote http (%s)", async (_kind, credential) => {
    const { fetch, requests } = inProcessFetch();
    const client = new ContainerRegistryClient("http://registry.example:5000", credential, { fetch });
    expect((await client.getRepositoryProperties("app")).name).toBe("app");
    expect(requests).toEqual(["GET http://registry.example:5000/acr/v1/app"]);
  });
});
