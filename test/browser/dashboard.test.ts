/**
 * Clicks through examples/dashboard in Debian's Chromium with Playwright: browse, toggle a lock, upload a file
 * until the progress bar reaches 100 %, download a layer, delete a tag. Leaves a screenshot in
 * test-results/dashboard.png.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USER, startDashboard, type RunningDashboard } from "../../examples/dashboard/server";
import { BasicCredential, ContainerRegistryClient, RegistryError } from "../../src/index";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./support/chromium";

const SCREENSHOT = "test-results/dashboard.png";
const UPLOAD_SIZE = 12 * 1024 * 1024;

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
    client = new ContainerRegistryClient(dashboard.registry, new BasicCredential(DEMO_USER.username, DEMO_USER.password));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 960 }, acceptDownloads: true });
    // Without the File System Access picker (a native dialog Playwright cannot answer), saveBlob takes the
    // Blob URL path, whose download Playwright can catch and check.
    await page.addInitScript(() => {
      delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    });
    page.on("dialog", (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  it("connects to the seeded emulator and browses repositories, tags and manifests", async () => {
    await page.goto(dashboard.url);
    await page.locator('.repository[data-name="team/api"]').waitFor();
    const names = await page.locator(".repository").evaluateAll((buttons) => buttons.map((button) => (button as HTMLElement).dataset.name));
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
    await page.locator("#upload-file").setInputFiles({ name: "release-notes.txt", mimeType: "text/plain", buffer: Buffer.from(data) });
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
      layers: [{ mediaType: "text/plain", digest: sha256(data), size: UPLOAD_SIZE, annotations: { "org.opencontainers.image.title": "release-notes.txt" } }],
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
    await page.locator('[role="progressbar"][aria-label="Downloading release-notes.txt"][aria-valuenow="100"]').waitFor();
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
});
