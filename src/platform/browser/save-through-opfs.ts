/**
 * `saveBlob`'s path where there is no save picker but an origin-private file system with writable files (Firefox):
 * the verified body streams into a file there, which is then offered as a download. The body is never held in
 * memory whole, so a download of gigabytes keeps the page's memory flat.
 * @module
 */
import type { DownloadBlobResult } from "../../core/content/download-blob";
import { offerDownload } from "./offer-download";

/** The origin-private root directory, if this engine lets the page write files there; `undefined` where it does not. */
export async function writableOpfsRoot(): Promise<FileSystemDirectoryHandle | undefined> {
  const storage = (globalThis as { navigator?: { storage?: Partial<StorageManager> } }).navigator?.storage;
  if (typeof storage?.getDirectory !== "function") return undefined;
  if (
    typeof FileSystemFileHandle === "undefined" ||
    typeof FileSystemFileHandle.prototype.createWritable !== "function"
  )
    return undefined;
  try {
    return await storage.getDirectory();
  } catch {
    // Private browsing, or storage the user switched off: the page cannot write there.
    return undefined;
  }
}

/**
 * Streams the body into a fresh file of `root`, then offers it under `filename`. The file is removed once the
 * browser had time to open it, and at once when the body errors (a `DigestValidationError`, an abort).
 */
export async function saveThroughOpfs(
  download: DownloadBlobResult,
  filename: string,
  root: FileSystemDirectoryHandle,
  signal?: AbortSignal,
): Promise<void> {
  // A name of its own: two saves of the same file name never share a file.
  const name = `acrkit-save-${crypto.randomUUID()}`;
  const remove = () => void root.removeEntry(name).catch(() => undefined);
  let file: File;
  try {
    const handle = await root.getFileHandle(name, { create: true });
    const writable = await handle.createWritable();
    // pipeTo aborts the writable when the body errors: nothing unverified is offered.
    await download.body.pipeTo(writable, signal ? { signal } : {});
    file = await handle.getFile();
  } catch (error) {
    await download.body.cancel(error).catch(() => undefined);
    remove();
    throw error;
  }
  offerDownload(file, filename, remove);
}
