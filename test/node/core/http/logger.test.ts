/**
 * The logger gets one line per request, and no line ever holds a secret the test used or the registry issued.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient, type FetchLike, type RequestLogEntry } from "../../../../src/index";
import { countingTokenCredential } from "../../../support/clients";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";

const PASSWORD = "p4ssw0rd-that-must-not-leak";
const AAD_TOKEN = "aad-token-that-must-not-leak";
let registry: StartedEmulator;

beforeAll(async () => {
  registry = await startEmulator({ users: { robot: PASSWORD }, redirectBlobs: true });
  await registry.emulator.seedImage({
    repository: "logs/app",
    tags: ["v1"],
    layers: [new TextEncoder().encode("layer bytes")],
  });
});
afterAll(() => registry.close());

/** A fetch that remembers every token the registry hands out, so the test can look for them in the log. */
function recordingFetch(issued: string[]): FetchLike {
  return async (request, init) => {
    const response = await fetch(request, init);
    if (new URL(request.url).pathname.startsWith("/oauth2/")) {
      const body = (await response
        .clone()
        .json()
        .catch(() => ({}))) as Record<string, unknown>;
      for (const key of ["access_token", "refresh_token", "token"])
        if (typeof body[key] === "string") issued.push(body[key] as string);
    }
    return response;
  };
}

describe("request logging", () => {
  it("logs method, redacted URL, status and duration for every request, and no secret", async () => {
    const log: RequestLogEntry[] = [];
    const issued: string[] = [];
    const errors: unknown[] = [];
    const options = { logger: (entry: RequestLogEntry) => log.push(entry), fetch: recordingFetch(issued) };
    const clients = [
      new ContainerRegistryClient(registry.url, new BasicCredential("robot", PASSWORD), options),
      new ContainerRegistryClient(registry.url, countingTokenCredential(AAD_TOKEN), options),
    ];
    for (const client of clients) {
      const manifest = await client.getManifest("logs/app", "v1");
      const layer = (manifest.manifest.layers as { digest: string }[])[0]!;
      const download = await client.downloadBlob("logs/app", layer.digest);
      await new Response(download.body).arrayBuffer();
      await client.getTagProperties("logs/app", "missing").catch((error: unknown) => errors.push(error));
      await client.uploadBlob("logs/app", "some bytes");
    }
    const wrong = new ContainerRegistryClient(registry.url, new BasicCredential("robot", `${PASSWORD}-wrong`), options);
    await wrong.getRepositoryProperties("logs/app").catch((error: unknown) => errors.push(error));

    expect(issued.length).toBeGreaterThan(2);
    expect(errors).toHaveLength(3);
    expect(log.length).toBeGreaterThan(15);
    for (const entry of log) {
      expect(entry).toEqual({
        method: expect.any(String),
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/),
        status: expect.any(Number),
        durationMs: expect.any(Number),
      });
    }
    // The redirect to storage was logged, with its signature removed.
    expect(log.some((entry) => entry.url.startsWith(registry.server.storageUrl!))).toBe(true);
    const captured =
      JSON.stringify(log) +
      JSON.stringify(
        errors.map((e) => ({ ...(e as object), message: (e as Error).message, stack: (e as Error).stack })),
      );
    for (const secret of [PASSWORD, AAD_TOKEN, ...issued]) expect(captured).not.toContain(secret);
    const storageUrls = log
      .filter((entry) => entry.url.startsWith(registry.server.storageUrl!))
      .map((entry) => new URL(entry.url));
    for (const url of storageUrls)
      for (const [key, value] of url.searchParams) if (/sig/i.test(key)) expect(value).toBe("REDACTED");
  });

  it("a throwing logger cannot break a request", async () => {
    const client = new ContainerRegistryClient(registry.url, new BasicCredential("robot", PASSWORD), {
      logger: () => {
        throw new Error("logger broke");
      },
    });
    expect((await client.getTagProperties("logs/app", "v1")).name).toBe("v1");
  });
});
