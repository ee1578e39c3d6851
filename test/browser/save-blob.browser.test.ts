/**
 * saveBlob in Chromium. The File System Access picker needs a person to answer it, so these tests stand in for
 * the person with a picker that returns a file of the origin-private file system: the writable, its streaming and
 * its abort are Chromium's own. The Blob URL path runs as is, with the anchor's click observed.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ContainerRegistryClient, DigestValidationError, saveBlob } from "../../src/platform/browser/index";
import { adminClient, randomBytes, servers, sha256, uniqueRepository } from "./support/in-browser";

const { emulator, tamper, seeded } = servers();
const repository = uniqueRepository("browser/save");
const content = randomBytes(3 * 1024 * 1024 + 17);
let digest: string;

beforeAll(async () => {
  digest = (await adminClient(emulator).uploadBlob(repository, content)).digest;
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Stands in for the user: answers the picker with a file in the origin-private file system. */
function pickOpfsFile(suggestedNames: string[]) {
  return async (options?: { suggestedName?: string }) => {
    suggestedNames.push(options?.suggestedName ?? "");
    const root = await navigator.storage.getDirectory();
    return root.getFileHandle(options?.suggestedName ?? "unnamed", { create: true });
  };
}

async function opfsFile(name: string): Promise<File> {
  return (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
}

/** Records the downloads the Blob URL path starts, reading each URL before it is revoked. */
function observeDownloads(): Array<Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }>> {
  const downloads: Array<Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }>> = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    const { download, href } = this;
    downloads.push(fetch(href).then(async (response) => ({ name: download, bytes: new Uint8Array(await response.arrayBuffer()) })));
  });
  return downloads;
}

describe("saveBlob with the File System Access API", () => {
  it("streams a verified download into the picked file", async () => {
    const names: string[] = [];
    vi.stubGlobal("showSaveFilePicker", pickOpfsFile(names));
    const progress: number[] = [];
    const download = await adminClient(emulator).downloadBlob(repository, digest, { onProgress: (event) => progress.push(event.loaded) });
    await saveBlob(download, "layer.bin");
    expect(names).toEqual(["layer.bin"]);
    const saved = await opfsFile("layer.bin");
    expect(saved.size).toBe(content.byteLength);
    expect(await sha256(await saved.arrayBuffer())).toBe(digest);
    expect(progress.at(-1)).toBe(content.byteLength);
  });

  it("aborts the writable on a digest mismatch, so the file keeps its previous contents", async () => {
    const root = await navigator.storage.getDirectory();
    const writable = await (await root.getFileHandle("tampered.bin", { create: true })).createWritable();
    await writable.write("previous contents");
    await writable.close();

    vi.stubGlobal("showSaveFilePicker", pickOpfsFile([]));
    const download = await new ContainerRegistryClient(tamper).downloadBlob(seeded.tampered.repository, seeded.tampered.digest);
    const error = await saveBlob(download, "tampered.bin").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DigestValidationError);
    expect(await (await opfsFile("tampered.bin")).text()).toBe("previous contents");
  });

  it("cancels the download when the user dismisses the picker", async () => {
    vi.stubGlobal("showSaveFilePicker", () => Promise.reject(new DOMException("The user aborted a request.", "AbortError")));
    const download = await adminClient(emulator).downloadBlob(repository, digest);
    await expect(saveBlob(download, "never.bin")).rejects.toMatchObject({ name: "AbortError" });
    // A cancelled stream reads as finished at once: the connection was released.
    expect(await download.body.getReader().read()).toEqual({ done: true, value: undefined });
  });
});

describe("saveBlob through a Blob URL download", () => {
  it("offers the verified bytes under the file name where the picker is missing", async () => {
    vi.stubGlobal("showSaveFilePicker", undefined);
    const downloads = observeDownloads();
    await saveBlob(await adminClient(emulator).downloadBlob(repository, digest), "fallback.bin");
    expect(downloads).toHaveLength(1);
    const saved = await downloads[0]!;
    expect(saved.name).toBe("fallback.bin");
    expect(await sha256(saved.bytes)).toBe(digest);
    expect(document.querySelectorAll("a[download]")).toHaveLength(0);
  });

  it("offers nothing when the digest does not match", async () => {
    const downloads = observeDownloads();
    const download = await new ContainerRegistryClient(tamper).downloadBlob(seeded.tampered.repository, seeded.tampered.digest);
    await expect(saveBlob(download, "bad.bin", { method: "download" })).rejects.toBeInstanceOf(DigestValidationError);
    expect(downloads).toHaveLength(0);
  });

  it("refuses an empty file name before reading anything", async () => {
    const download = await adminClient(emulator).downloadBlob(repository, digest);
    await expect(saveBlob(download, "")).rejects.toBeInstanceOf(TypeError);
    expect(download.body.locked).toBe(false);
    await download.body.cancel();
  });
});
