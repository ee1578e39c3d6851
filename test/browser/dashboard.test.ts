/**
 * Clicks through examples/dashboard in Debian's Chromium with Playwright, against the seeded emulator (browse,
 * toggle a lock, upload a file until the progress bar reaches 100 %, download a layer, delete a tag, purge with a
 * preview) and against docker-registry 2.8.2, which has no ACR API (browse tags and layers, upload, and a tag delete
 * the registry refuses). Leaves screenshots in test-results/.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USER, startDashboard, type RunningDashboard } from "../../examples/dashboard/server";
import { BasicCredential, ContainerRegistryClient, pullArtifact, pushArtifact, RegistryError } from "../../src/index";
import { startDockerRegistry, type RunningDockerRegistry } from "../support/docker-registry";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./support/chromium";

const SCREENSHOT = "test-results/dashboard.png";
const UPLOAD_SIZE = 12 * 1024 * 1024;

/** Chromium with a page for the dashboard: confirmations accepted, downloads caught. */
async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 }, acceptDownloads: true });
  // Without the File System Access picker (a native dialog Playwright cannot answer), saveBlob takes the
  // Blob URL path, whose download Playwright can catch and check.
  await page.addInitScript(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
  page.on("dialog", (dialog) => void dialog.accept());
  return { browser, page };
}

function sha256(data: Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

describe("examples/dashboard in Chromium", () => {
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  let client: ContainerRegistryClient;

  beforeAll(async () => {
    dashboard = await startDashboard({ port: 0 });
    client = new ContainerRegistryClient(
      dashboard.registry,
      new BasicCredential(DEMO_USER.username, DEMO_USER.password),
    );
    ({ browser, page } = await openBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  it("connects to the seeded emulator and browses repositories, tags and manifests", async () => {
    await page.goto(dashboard.url);
    await page.locator('.repository[data-name="team/api"]').waitFor();
    const names = await page
      .locator(".repository")
      .evaluateAll((buttons) => buttons.map((button) => (button as HTMLElement).dataset.name));
    expect(names).toEqual(expect.arrayContaining(["library/hello-world", "team/api", "team/web", "tools/builder"]));

    await page.locator('.repository[data-name="team/api"]').click();
    await page.locator("#repository-title", { hasText: "team/api" }).waitFor();
    expect(await page.locator("tr[data-tag]").count()).toBe(4);
    expect(await page.locator("tr[data-digest]").count()).toBe(3);
    const armRow = page.locator("tr[data-digest]", { hasText: "linux/arm64" });
    expect(await armRow.locator(".tag").allTextContents()).toEqual(["1.5.0-rc.1"]);
    // The locked production tag shows its flags, and cannot be deleted from the page.
    expect(await page.getByRole("switch", { name: "Can delete stable" }).isChecked()).toBe(false);
    expect(await page.getByRole("button", { name: "Delete tag stable" }).isDisabled()).toBe(true);
  });

  it("toggles a lock flag on a tag", async () => {
    const lock = page.getByRole("switch", { name: "Can write 1.4.0" });
    expect(await lock.isChecked()).toBe(true);
    await lock.click();
    await page.locator("#status", { hasText: "Can write 1.4.0: off." }).waitFor();
    expect((await client.getTagProperties("team/api", "1.4.0")).canWrite).toBe(false);

    const deletable = page.getByRole("switch", { name: "Can delete 1.4.1" });
    await deletable.click();
    await page.locator("#status", { hasText: "Can delete 1.4.1: off." }).waitFor();
    expect(await page.getByRole("button", { name: "Delete tag 1.4.1" }).isDisabled()).toBe(true);
    expect((await client.getTagProperties("team/api", "1.4.1")).canDelete).toBe(false);
  });

  it("uploads a file as an OCI artifact until the progress bar reaches 100 %", async () => {
    const data = new Uint8Array(UPLOAD_SIZE).map((_, index) => (index * 31) % 256);
    await page
      .locator("#upload-file")
      .setInputFiles({ name: "release-notes.txt", mimeType: "text/plain", buffer: Buffer.from(data) });
    await page.locator("#upload-repository").fill("demo/artifacts");
    await page.locator("#upload-tag").fill("v1");
    await page.getByRole("button", { name: "Upload", exact: true }).click();

    await page.locator('[role="progressbar"][aria-label="Uploading release-notes.txt"][aria-valuenow="100"]').waitFor();
    await page.locator(".upload-progress .progress.is-done").waitFor();
    expect(await page.locator(".upload-progress .progress-text").textContent()).toBe("100 %");

    const { manifest } = await client.getManifest("demo/artifacts", "v1");
    expect(manifest).toMatchObject({
      artifactType: "application/vnd.acrkit.dashboard.file",
      config: { mediaType: "application/vnd.oci.empty.v1+json", size: 2 },
      layers: [
        {
          mediaType: "text/plain",
          digest: sha256(data),
          size: UPLOAD_SIZE,
          annotations: { "org.opencontainers.image.title": "release-notes.txt" },
        },
      ],
    });
    // The new repository appears and opens.
    await page.locator("#repository-title", { hasText: "demo/artifacts" }).waitFor();
    await page.locator('tr[data-tag="v1"]').waitFor();
  });

  it("downloads a layer with a progress bar, digest verified", async () => {
    await page.locator("tr[data-digest]").first().getByRole("button", { name: "Layers" }).click();
    const button = page.getByRole("button", { name: "Download release-notes.txt" });
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toBe("release-notes.txt");
    const saved = readFileSync(await download.path());
    expect(saved.byteLength).toBe(UPLOAD_SIZE);
    await page
      .locator('[role="progressbar"][aria-label="Downloading release-notes.txt"][aria-valuenow="100"]')
      .waitFor();
    await page.locator(".layer-progress .progress.is-done").waitFor();
    const { manifest } = await client.getManifest("demo/artifacts", "v1");
    expect(sha256(saved)).toBe((manifest as { layers: Array<{ digest: string }> }).layers[0]!.digest);
  });

  it("deletes a tag", async () => {
    await page.locator('.repository[data-name="team/api"]').click();
    await page.locator("#repository-title", { hasText: "team/api" }).waitFor();
    await page.getByRole("button", { name: "Delete tag 1.4.0" }).click();
    await page.locator("#status", { hasText: "Deleted tag team/api:1.4.0." }).waitFor();
    await page.locator('tr[data-tag="1.4.0"]').waitFor({ state: "detached" });
    await page.locator('tr[data-tag="1.4.1"]').waitFor();
    expect(await page.locator("tr[data-tag]").count()).toBe(3);
    const missing = await client.getTagProperties("team/api", "1.4.0").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(RegistryError);
    expect((missing as RegistryError).statusCode).toBe(404);

    // A browsed registry, for the record: the repository view, a manifest's layers, the finished upload.
    await page.locator("tr[data-digest]", { hasText: "linux/arm64" }).getByRole("button", { name: "Layers" }).click();
    await page.locator(".layers li").first().waitFor();
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(readFileSync(SCREENSHOT).byteLength).toBeGreaterThan(10_000);
  });

  it("previews a clean-up, deletes nothing until confirmed, then purges and keeps the locked manifest", async () => {
    await page.locator("#purge-keep").fill("1");
    await page.locator("#purge-days").fill("0");
    await page.getByRole("button", { name: "Preview clean-up" }).click();
    // 1.4.0's manifest lost its tag above; 1.4.1 and stable are locked; 1.5.0-rc.1 is the newest.
    await page.locator('.purge-list li[data-purge="delete"]').first().waitFor();
    const toDelete = await page
      .locator('.purge-list li[data-purge="delete"]')
      .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.digest!));
    const locked = await page
      .locator('.purge-list li[data-purge="locked"]')
      .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.digest!));
    expect(toDelete).toHaveLength(1);
    expect(locked).toEqual([(await client.getTagProperties("team/api", "stable")).digest]);
    // The preview deleted nothing.
    expect(await client.manifestExists("team/api", toDelete[0]!)).toBe(true);

    await page.getByRole("button", { name: "Delete 1 manifest(s)" }).click();
    await page.locator("#status", { hasText: "Purged 1 manifest(s) of team/api; 1 locked one(s) kept." }).waitFor();
    expect(await client.manifestExists("team/api", toDelete[0]!)).toBe(false);
    expect(await client.manifestExists("team/api", "stable")).toBe(true);
    expect(await client.manifestExists("team/api", "1.5.0-rc.1")).toBe(true);
  });
});

describe("examples/dashboard against docker-registry 2.8.2 (no ACR API) in Chromium", () => {
  let registry: RunningDockerRegistry;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  let client: ContainerRegistryClient;
  const report = new TextEncoder().encode("a report stored in a plain OCI registry\n".repeat(500));
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startDockerRegistry({ cors: true });
    client = new ContainerRegistryClient(registry.url);
    for (const tag of ["v1", "v2"]) {
      digests[tag] = (
        await pushArtifact(client, "oci/app", {
          artifactType: "application/vnd.acrkit.test",
          files: [{ name: `report-${tag}.txt`, data: report, mediaType: "text/plain" }],
          tag,
        })
      ).digest;
    }
    await pushArtifact(client, "oci/tools", {
      artifactType: "application/vnd.acrkit.test",
      files: [{ name: "tool.bin", data: "tool" }],
      tag: "latest",
    });
    dashboard = await startDashboard({ port: 0, directRegistry: registry.url });
    ({ browser, page } = await openBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await registry?.stop();
  });

  it("lists the repositories and a repository's tags with their digests", async () => {
    await page.goto(dashboard.url);
    await page.locator('.repository[data-name="oci/app"]').waitFor();
    const names = await page
      .locator(".repository")
      .evaluateAll((buttons) => buttons.map((button) => (button as HTMLElement).dataset.name));
    expect(names).toEqual(["oci/app", "oci/tools"]);

    await page.locator('.repository[data-name="oci/app"]').click();
    await page.locator("#repository-title", { hasText: "oci/app" }).waitFor();
    await page.locator("#oci-note").waitFor();
    expect(
      await page.locator("tr[data-tag]").evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.tag)),
    ).toEqual(["v1", "v2"]);
    expect(await page.locator('tr[data-tag="v2"] td.mono').getAttribute("title")).toBe(digests.v2);
    // No locks on a plain OCI registry: nothing to switch.
    expect(await page.getByRole("switch").count()).toBe(0);
  });

  it("shows a manifest's files and downloads one, digest verified", async () => {
    await page.locator(`tr[data-digest="${digests.v1}"]`).getByRole("button", { name: "Layers" }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download report-v1.txt" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("report-v1.txt");
    expect(Buffer.from(readFileSync(await download.path())).equals(Buffer.from(report))).toBe(true);
  });

  it("uploads a file with pushArtifact", async () => {
    const data = new Uint8Array(300_000).map((_, index) => (index * 7) % 256);
    await page
      .locator("#upload-file")
      .setInputFiles({ name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from(data) });
    await page.locator("#upload-repository").fill("oci/uploads");
    await page.locator("#upload-tag").fill("v1");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.locator('[role="progressbar"][aria-label="Uploading notes.md"][aria-valuenow="100"]').waitFor();
    await page.locator("#repository-title", { hasText: "oci/uploads" }).waitFor();
    const pulled = await pullArtifact(client, "oci/uploads", "v1");
    expect(pulled.files.map((file) => [file.name, file.mediaType, file.digest])).toEqual([
      ["notes.md", "text/markdown", sha256(data)],
    ]);
  });

  it("says so when the registry cannot delete a tag, and keeps it", async () => {
    await page.locator('.repository[data-name="oci/app"]').click();
    await page.locator("#repository-title", { hasText: "oci/app" }).waitFor();
    await page.getByRole("button", { name: "Delete tag v1" }).click();
    await page.locator("#status", { hasText: "Deleting v1 failed: deleteTag is not supported" }).waitFor();
    expect(await client.manifestExists("oci/app", "v1")).toBe(true);
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/dashboard-docker-registry.png", fullPage: true });
  });
});
