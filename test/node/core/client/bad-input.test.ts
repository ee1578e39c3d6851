/**
 * Bad input fails fast: a TypeError or RangeError naming the value, and not one request sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContainerRegistryClient } from "../../../../src/index";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

let registry: StartedEmulator;
let client: ContainerRegistryClient;

beforeAll(async () => {
  registry = await startEmulator({ authRequired: false });
  client = new ContainerRegistryClient(registry.url);
});
afterAll(() => registry.close());

type Case = [label: string, call: () => unknown, error: typeof TypeError | typeof RangeError, named: string];

const cases: Case[] = [
  ["uppercase repository", () => client.getRepositoryProperties("Team/App"), TypeError, "Team/App"],
  ["repository with a leading slash", () => client.getRepositoryProperties("/app"), TypeError, "/app"],
  ["repository with a trailing slash", () => client.deleteRepository("app/"), TypeError, "app/"],
  ["repository with double slashes", () => client.listTagProperties("a//b"), TypeError, "a//b"],
  ["repository with a space", () => client.listManifestProperties("my app"), TypeError, "my app"],
  ["repository with path traversal", () => client.uploadBlob("../etc", "x"), TypeError, "../etc"],
  ["repository with a query", () => client.getRepositoryProperties("app?x=1"), TypeError, "app?x=1"],
  ["empty repository", () => client.getRepositoryProperties(""), TypeError, '""'],
  ["repository that is not a string", () => client.getRepositoryProperties(42 as unknown as string), TypeError, "42"],
  ["over-long repository", () => client.getRepositoryProperties("a".repeat(300)), RangeError, "aaaa"],
  ["tag starting with a dot", () => client.getTagProperties("app", ".v1"), TypeError, ".v1"],
  ["tag with a slash", () => client.deleteTag("app", "v1/x"), TypeError, "v1/x"],
  [
    "tag over 128 characters",
    () => client.updateTagProperties("app", "t".repeat(129), { canDelete: false }),
    TypeError,
    "tttt",
  ],
  ["tag with a space", () => client.setManifest("app", {}, { tag: "v 1" }), TypeError, "v 1"],
  ["digest with uppercase hex", () => client.deleteBlob("app", `sha256:${"A".repeat(64)}`), TypeError, "AAAA"],
  ["digest too short", () => client.downloadBlob("app", "sha256:abc"), TypeError, "sha256:abc"],
  ["digest of an unknown algorithm", () => client.blobExists("app", `md5:${"0".repeat(32)}`), TypeError, "md5:"],
  [
    "reference that is neither tag nor digest",
    () => client.getManifest("app", "sha256:nothex"),
    TypeError,
    "sha256:nothex",
  ],
  [
    "digest filter that is not a digest",
    () => client.listTagProperties("app", { digest: "latest" }),
    TypeError,
    "latest",
  ],
  ["manifest reference with a colon", () => client.getManifestProperties("app", "v1:2"), TypeError, "v1:2"],
  [
    "properties with a typo",
    () => client.updateRepositoryProperties("app", { canDelet: false } as never),
    TypeError,
    "canDelet",
  ],
  [
    "property that is not a boolean",
    () => client.updateTagProperties("app", "v1", { canWrite: "no" as never }),
    TypeError,
    "canWrite",
  ],
  ["manifest over 4 MiB", () => client.setManifest("app", { pad: "x".repeat(4 * 1024 * 1024) }), RangeError, "4194304"],
  ["manifest that is not JSON", () => client.setManifest("app", "not json {"), TypeError, "JSON"],
  ["manifest that is a JSON array", () => client.setManifest("app", "[1,2]"), TypeError, "JSON object"],
  ["chunk size of zero", () => client.uploadBlob("app", "x", { chunkSize: 0 }), RangeError, "chunkSize"],
  ["upload source of the wrong kind", () => client.uploadBlob("app", 42 as never), TypeError, "number"],
  [
    "page size of zero",
    () => client.listRepositoryNames().byPage({ maxPageSize: 0 }).next(),
    RangeError,
    "maxPageSize",
  ],
];

describe("bad input", () => {
  it.each(cases)("rejects %s before any request", async (_label, call, errorType, named) => {
    registry.emulator.clearRequests();
    let error: unknown;
    try {
      await call();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(errorType);
    expect((error as Error).message).toContain(named);
    expect(registry.emulator.requests).toEqual([]);
  });

  it.each([
    ["", "empty"],
    ["ftp://registry.example", "scheme"],
    ["https://user:secret@registry.example", "credentials"],
    ["https://registry.example/?x=1", "query"],
    ["https://registry.example/#frag", "fragment"],
    ["http://[::1", "not a URL"],
  ])("rejects the endpoint %j (%s)", (endpoint) => {
    expect(() => new ContainerRegistryClient(endpoint)).toThrow(TypeError);
  });

  it("never echoes a password given in an endpoint", () => {
    expect(() => new ContainerRegistryClient("https://user:secret@registry.example")).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("secret") }),
    );
  });

  it("accepts endpoints without a scheme as https, and http for local registries", () => {
    expect(new ContainerRegistryClient("myregistry.azurecr.io").endpoint).toBe("https://myregistry.azurecr.io/");
    expect(new ContainerRegistryClient("http://127.0.0.1:5000").endpoint).toBe("http://127.0.0.1:5000/");
  });
});
