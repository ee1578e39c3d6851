/**
 * README, Dependencies: the recipe for an app that already configures a ky instance and wants its hooks on acrkit's
 * requests. acrkit's `fetch` option is built from the instance, with ky's own retries, timeout and HTTP errors off
 * (acrkit retries, times out and reads every status itself), against the emulator on loopback.
 */
import ky from "ky";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient } from "../../../src/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";

const USER = { username: "ky-user", password: "ky-recipe-password" };

describe("a ky instance as acrkit's fetch", () => {
  let started: StartedEmulator;
  beforeAll(async () => {
    started = await startEmulator({ users: { [USER.username]: USER.password } });
  });
  afterAll(() => started.close());

  it("runs the app's hooks on every request acrkit sends, challenges and uploads included", async () => {
    const seen: string[] = [];
    const statuses: number[] = [];
    // The app's instance, as it already has it: a header on every request, a log of every answer.
    const api = ky.create({
      hooks: {
        beforeRequest: [({ request }) => void request.headers.set("x-app-trace", "dashboard")],
        afterResponse: [
          ({ request, response }) =>
            void (seen.push(`${request.method} ${new URL(request.url).pathname}`), statuses.push(response.status)),
        ],
      },
    });
    // The recipe: ky's retries, timeout and HTTP errors off; acrkit hands it a Request and reads every status.
    const kyFetch = api.extend({ retry: 0, timeout: false, throwHttpErrors: false });
    const client = new ContainerRegistryClient(started.url, new BasicCredential(USER.username, USER.password), {
      fetch: (input, init) => kyFetch(input, init),
    });

    const bytes = new TextEncoder().encode("through ky\n".repeat(10_000));
    const { digest } = await client.uploadBlob("ky/recipe", bytes);
    const download = await client.downloadBlob("ky/recipe", digest);
    expect(new Uint8Array(await new Response(download.body).arrayBuffer())).toEqual(bytes);
    const missing = await client.blobExists("ky/recipe", `sha256:${"0".repeat(64)}`);
    expect(missing).toBe(false);

    // Every request went through the hooks: the challenge (401), the upload, the download, the 404 of the HEAD.
    expect(statuses).toContain(401);
    expect(statuses).toContain(404);
    expect(seen.some((entry) => entry.startsWith("POST /v2/ky/recipe/blobs/uploads"))).toBe(true);
    expect(seen.some((entry) => entry.startsWith(`GET /v2/ky/recipe/blobs/${digest}`))).toBe(true);
    expect(started.emulator.requests.length).toBe(seen.length);
  });
});
