/**
 * A cold client discovers the registry's challenge once: many calls started together share the one 401 (as they
 * share token fetches), instead of each sending its own anonymous request first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient, type RegistryCredential } from "../../../../src/index";
import { ADMIN, countingTokenCredential } from "../../../support/clients";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

let registry: StartedEmulator;

beforeAll(async () => {
  registry = await startEmulator({ users: { [ADMIN.username]: ADMIN.password } });
  await registry.emulator.seedImage({ repository: "flight/app", tags: ["v1"] });
});
afterAll(() => registry.close());

const CREDENTIALS: Array<[string, () => RegistryCredential]> = [
  ["Basic", () => new BasicCredential(ADMIN.username, ADMIN.password)],
  ["AAD token", () => countingTokenCredential()],
];

function unauthorizedSince(from: number): string[] {
  return registry.emulator.requests
    .slice(from)
    .filter((entry) => entry.status === 401)
    .map((entry) => `${entry.method} ${entry.path}`);
}

describe.each(CREDENTIALS)("a cold client with a %s credential", (_kind, credential) => {
  it("sends 100 concurrent uploadBlob calls with exactly one 401 at the registry", async () => {
    const client = new ContainerRegistryClient(registry.url, credential());
    const from = registry.emulator.requests.length;
    const blobs = Array.from({ length: 100 }, (_, index) => `single-flight blob ${index} ${Math.random()}`);
    const results = await Promise.all(blobs.map((blob) => client.uploadBlob("flight/app", blob)));
    expect(new Set(results.map((result) => result.digest)).size).toBe(100);
    expect(unauthorizedSince(from)).toHaveLength(1);
  });

  it("sends 50 concurrent getManifest calls with exactly one 401 at the registry", async () => {
    const client = new ContainerRegistryClient(registry.url, credential());
    const from = registry.emulator.requests.length;
    const manifests = await Promise.all(Array.from({ length: 50 }, () => client.getManifest("flight/app", "v1")));
    expect(new Set(manifests.map((manifest) => manifest.digest)).size).toBe(1);
    expect(unauthorizedSince(from)).toHaveLength(1);
  });
});
