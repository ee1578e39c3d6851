/**
 * saveBlob in every engine. The File System Access picker needs a person to answer it, so these tests stand in for
 * the person with a picker that returns a file of the origin-private file system: the writable, its streaming and
 * its abort are the engine's own. The origin-private path (no picker) and the Blob URL path run as they are, with
 * the anchor's click observed.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ContainerRegistryClient, DigestValidationError, saveBlob } from "../../src/platform/browser/index";
import { writableOpfsRoot } from "../../src/platform/browser/save-through-opfs";
import { adminClient, engine, randomBytes, servers, sha256, uniqueRepository } from "./support/in-browser";

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

/** The Blobs saveBlob made URLs of, in order. */
function observeObjectUrls(): Blob[] {
  const blobs: Blob[] = [];
  const create = URL.createObjectURL.bind(URL);
  vi.spyOn(URL, "createObjectURL").mockImplementation((blob: Blob | MediaSource) => {
    blobs.push(blob as Blob);
    return create(blob);
  });
  return blobs;
}

/** The names of saveBlob's own files in the origin-private file system. */
async function opfsSaveFiles(): Promise<string[]> {
  const names: string[] = [];
  const root = (await navigator.storage.getDirectory()) as FileSystemDirectoryHandle & {
    keys(): AsyncIterable<string>;
  };
  for await (const name of root.keys()) if (name.startsWith("acrkit-save-")) names.push(name);
  return names;
}

/** Records the downloads the Blob URL path starts, reading each URL before it is revoked. */
function observeDownloads(): Array<Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }>> {
  const downloads: Array<Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }>> = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    const { download, href } = this;
    downloads.push(
      fetch(href).then(async (response) => ({ name: download, bytes: new Uint8Array(await response.arrayBuffer()) })),
    );
  });
  return downloads;
}

/** What each engine CI runs offers saveBlob (README, Compatibility). */
const OFFERS = {
  chromium: { picker: true, opfs: true },
  firefox: { picker: false, opfs: true },
  webkit: { picker: false, opfs: false },
};
const offers = OFFERS[engine()];

it(`finds what ${engine()} offers: a save picker ${offers.picker ? "and" : "no, and"} ${offers.opfs ? "writable origin-private files" : "no writable origin-private files"}`, async () => {
  expect(typeof (globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker === "function").toBe(offers.picker);
  expect((await writableOpfsRoot()) !== undefined).toBe(offers.opfs);
});

// The stand-in picker answers with an origin-private file: where the engine has none (WebKitGTK), there is nothing
// to stand in with, and the engine has no picker either (checked above).
describe.runIf(offers.opfs)("saveBlob with the File System Access API", () => {
  it("streams a verified download into the picked file", async () => {
    const names: string[] = [];
    vi.stubGlobal("showSaveFilePicker", pickOpfsFile(names));
    const progress: number[] = [];
    const download = await adminClient(emulator).downloadBlob(repository, digest, {
      onProgress: (event) => progress.push(event.loaded),
    });
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
    const download = await new ContainerRegistryClient(tamper).downloadBlob(
      seeded.tampered.repository,
      seeded.tampered.digest,
    );
    const error = await saveBlob(download, "tampered.bin").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DigestValidationError);
    expect(await (await opfsFile("tampered.bin")).text()).toBe("previous contents");
  });

  it("cancels the download when the user dismisses the picker", async () => {
    vi.stubGlobal("showSaveFilePicker", () =>
      Promise.reject(new DOMException("The user aborted a request.", "AbortError")),
    );
    const download = await adminClient(emulator).downloadBlob(repository, digest);
    await expect(saveBlob(download, "never.bin")).rejects.toMatchObject({ name: "AbortError" });
    // A cancelled stream reads as finished at once: the connection was released.
    expect(await download.body.getReader().read()).toEqual({ done: true, value: undefined });
  });
});

describe.runIf(offers.opfs)("saveBlob through the origin-private file system, without a picker", () => {
  it("streams the verified download into a file there and offers that file, not a Blob in memory", async () => {
    vi.stubGlobal("showSaveFilePicker", undefined);
    const blobs = observeObjectUrls();
    const downloads = observeDownloads();
    await saveBlob(await adminClient(emulator).downloadBlob(repository, digest), "private.bin");
    expect(downloads).toHaveLength(1);
    const saved = await downloads[0]!;
    expect(saved.name).toBe("private.bin");
    expect(await sha256(saved.bytes)).toBe(digest);
    expect(blobs[0]).toBeInstanceOf(File);
    expect((blobs[0] as File).name).toMatch(/^acrkit-save-/);
    expect(await opfsSaveFiles()).toContain((blobs[0] as File).name);
  });

  it("removes its file and offers nothing when the digest does not match", async () => {
    vi.stubGlobal("showSaveFilePicker", undefined);
    const before = await opfsSaveFiles();
    const downloads = observeDownloads();
    const download = await new ContainerRegistryClient(tamper).downloadBlob(
      seeded.tampered.repository,
      seeded.tampered.digest,
    );
    await expect(saveBlob(download, "bad.bin", { method: "download" })).rejects.toBeInstanceOf(DigestValidationError);
    expect(downloads).toHaveLength(0);
    await vi.waitFor(async () => expect(await opfsSaveFiles()).toEqual(before));
  });

  it("saves a 64 MiB verified download through a file there (the 1 GiB case: npm run bench, browser-save)", async () => {
    const big = randomBytes(64 * 1024 * 1024);
    const bigDigest = (await adminClient(emulator).uploadBlob(repository, big)).digest;
    vi.stubGlobal("showSaveFilePicker", undefined);
    const blobs = observeObjectUrls();
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    await saveBlob(await adminClient(emulator).downloadBlob(repository, bigDigest), "big.bin");
    const file = blobs[0] as File;
    expect(file).toBeInstanceOf(File);
    expect(file.size).toBe(big.byteLength);
    expect(await sha256(await file.arrayBuffer())).toBe(bigDigest);
  });
});

describe("saveBlob through a Blob URL download", () => {
  beforeEach(() => {
    // As in private browsing, where the origin-private file system refuses the page: the Blob is the last resort.
    if (offers.opfs)
      vi.spyOn(navigator.storage, "getDirectory").mockRejectedValue(
        new DOMException("The operation is insecure.", "SecurityError"),
      );
  });

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

  it.runIf(!offers.opfs)(
    "saves a 64 MiB verified download through a Blob where the engine has nothing else",
    async () => {
      const big = randomBytes(64 * 1024 * 1024);
      const bigDigest = (await adminClient(emulator).uploadBlob(repository, big)).digest;
      const blobs = observeObjectUrls();
      vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
      await saveBlob(await adminClient(emulator).downloadBlob(repository, bigDigest), "big.bin");
      expect(blobs[0]!.size).toBe(big.byteLength);
      expect(await sha256(await blobs[0]!.arrayBuffer())).toBe(bigDigest);
    },
  );

  it("offers nothing when the digest does not match", async () => {
    const downloads = observeDownloads();
    const download = await new ContainerRegistryClient(tamper).downloadBlob(
      seeded.tampered.repository,
      seeded.tampered.digest,
    );
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
