/**
 * Real ACR traffic, replayed: the client must drive each recorded exchange and map it into the right models.
 * The recordings (recordings/, from the Azure SDK for Python's test assets) live in this repository; one dropped
 * there needs a scenario here, keyed by its test name, and every scenario needs its recording.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContainerRegistryClient, StaticTokenCredential } from "../../../src/index";
import { loadRecording, startReplayServer } from "../../support/replay-server";

const RECORDINGS = join(import.meta.dirname, "recordings");

const SCENARIOS: Record<string, (url: string) => Promise<void>> = {
  async test_list_repository_names_by_page(url) {
    const client = new ContainerRegistryClient(url);
    const pages: string[][] = [];
    for await (const page of client.listRepositoryNames().byPage({ maxPageSize: 2 })) pages.push([...page]);
    expect(pages).toEqual([["library/alpine", "library/busybox"], ["library/hello-world"]]);
  },

  async test_upload_blob(url) {
    const client = new ContainerRegistryClient(url, new StaticTokenCredential("aad-token"));
    const uploaded = await client.uploadBlob("repo5b2f373f", "hello world");
    expect(uploaded).toEqual({
      digest: "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
      size: 11,
    });
    const downloaded = await client.downloadBlob("repo5b2f373f", uploaded.digest);
    expect(downloaded.size).toBe(11);
    expect(await new Response(downloaded.body).text()).toBe("hello world");
    await client.deleteBlob("repo5b2f373f", uploaded.digest);
    await client.deleteRepository("repo5b2f373f");
  },
};

const files = readdirSync(RECORDINGS).filter((name) => name.endsWith(".json"));

it("has a recording for every scenario, so that no replay is skipped", () => {
  const recorded = files.map((file) => /(test_[a-z0-9_]+)\.json$/.exec(file)?.[1]);
  expect(Object.keys(SCENARIOS).filter((test) => !recorded.includes(test))).toEqual([]);
  expect(files.length).toBeGreaterThan(0);
});

describe.each(files)("replay of %s", (file) => {
  it("is driven by the client with the recorded forms and answers", async () => {
    const test = /(test_[a-z0-9_]+)\.json$/.exec(file)?.[1] ?? "";
    const scenario = SCENARIOS[test];
    expect(scenario, `no replay scenario for ${test}`).toBeDefined();
    const server = await startReplayServer(loadRecording(join(RECORDINGS, file)));
    try {
      await scenario!(server.url);
      // Only requests the recording could not have (acrkit's HEAD before an upload) may go unanswered.
      expect(server.mismatches.filter((m) => m.method !== "HEAD")).toEqual([]);
      expect(server.served.some((entry) => entry.StatusCode < 300)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
