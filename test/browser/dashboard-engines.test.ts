/**
 * examples/dashboard in each engine CI runs (Chromium, Firefox ESR, WebKitGTK), against the seeded emulator: browse,
 * upload a file until the progress bar reaches 100 %, download its layer with the digest verified (through saveBlob's
 * path for that engine), delete a tag. dashboard.test.ts clicks through more of it in Chromium with Playwright.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USER, startDashboard, type RunningDashboard } from "../../examples/dashboard/server";
import { BasicCredential, ContainerRegistryClient, pullArtifact } from "../../src/index";
import { ENGINES, openEnginePage, type EnginePage } from "./support/engines/engine-page";

const UPLOAD_SIZE = 6 * 1024 * 1024;

describe.each(ENGINES)("examples/dashboard in %s", (engine) => {
  let dashboard: RunningDashboard;
  let page: EnginePage;
  let client: ContainerRegistryClient;
  const repository = `engines/${engine}`;

  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0 });
    client = new ContainerRegistryClient(
      dashboard.registry,
      new BasicCredential(DEMO_USER.username, DEMO_USER.password),
    );
    page = await openEnginePage(engine);
  });

  afterAll(async () => {
    await page?.close();
    await dashboard?.close();
  });

  it("lists the seeded repositories and a repository's tags", async () => {
    await page.goto(dashboard.url);
    await page.run(`await __e2e.waitFor('.repository[data-name="team/api"]')`);
    expect(await page.run(`return __e2e.all(".repository", "data-name")`)).toEqual(
      expect.arrayContaining(["library/hello-world", "team/api", "team/web", "tools/builder"]),
    );
    await page.run(
      `await __e2e.click('.repository[data-name="team/api"]'); await __e2e.waitFor("#repository-title", { text: "team/api" })`,
    );
    expect(await page.run(`return __e2e.all("tr[data-tag]", "data-tag")`)).toHaveLength(4);
  });

  it("uploads a file with its progress to 100 %, then downloads it with the digest verified", async () => {
    await page.goto(dashboard.url);
    await page.run(`
      await __e2e.chooseFile("#upload-file", "notes.bin", "application/octet-stream", ${UPLOAD_SIZE});
      await __e2e.fill("#upload-repository", "${repository}");
      await __e2e.fill("#upload-tag", "v1");
      await __e2e.click(".upload-form button[type=submit]");
      await __e2e.waitFor('[role="progressbar"][aria-label="Uploading notes.bin"][aria-valuenow="100"]');
      await __e2e.waitFor("#repository-title", { text: "${repository}" });`);
    const data = new Uint8Array(UPLOAD_SIZE).map((_, index) => (index * 7) % 256);
    const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
    const pulled = await pullArtifact(client, repository, "v1");
    expect(pulled.files.map((file) => [file.name, file.digest])).toEqual([["notes.bin", digest]]);

    await page.run(`
      await __e2e.click('tr[data-digest] button[aria-label^="Layers"], tr[data-digest] button', { text: "Layers" });
      await __e2e.click('button[aria-label="Download notes.bin"]');
      await __e2e.waitFor('[role="progressbar"][aria-label="Downloading notes.bin"][aria-valuenow="100"]');`);
    await expect
      .poll(() => page.run(`return __e2e.downloaded()`), { timeout: 30_000 })
      .toEqual([{ name: "notes.bin", digest }]);
  });

  it("deletes a tag and lists the rest", async () => {
    await page.run(`
      await __e2e.click('.repository[data-name="team/api"]');
      await __e2e.waitFor("#repository-title", { text: "team/api" });
      await __e2e.click('button[aria-label="Delete tag 1.4.1"]');
      await __e2e.waitFor("#status", { text: "Deleted tag team/api:1.4.1." });
      await __e2e.waitFor('tr[data-tag="1.4.1"]', { gone: true });
      await __e2e.waitFor('tr[data-tag="1.4.0"]');`);
    expect(await page.run(`return __e2e.all("tr[data-tag]", "data-tag")`)).toHaveLength(3);
    expect(await client.manifestExists("team/api", "1.4.1")).toBe(false);
  });
});
