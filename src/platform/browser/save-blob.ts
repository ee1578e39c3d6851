/**
 * `saveBlob`: puts a verified download on the user's disk from a browser page.
 * @module
 */
import type { DownloadBlobResult } from "../../core/content/download-blob";
import { offerDownload } from "./offer-download";
import { saveThroughOpfs, writableOpfsRoot } from "./save-through-opfs";

/** The part of the File System Access API `saveBlob` uses; TypeScript's DOM library does not declare the picker yet. */
interface SaveFilePickerOptions {
  suggestedName?: string;
}
type ShowSaveFilePicker = (options?: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;

/** Options of {@link saveBlob}. */
export interface SaveBlobOptions {
  /** Stops the transfer; a partly written file is discarded. */
  signal?: AbortSignal;
  /**
   * `"auto"` (the default) streams to a file chosen with `showSaveFilePicker` where the browser has it (Chromium);
   * `"download"` skips the picker. Without the picker, the body streams into a file of the origin-private file
   * system where the browser lets the page write one (Firefox), which is then downloaded; elsewhere (WebKit) it is
   * read whole into a Blob, which is downloaded.
   */
  method?: "auto" | "download";
}

/**
 * Saves a downloaded blob to a file the user chooses, keeping the digest check.
 *
 * Where the File System Access API exists (Chromium), the user picks a file and the body streams into it,
 * so memory stays flat for large blobs; when the body errors (a `DigestValidationError`, a network error, an
 * abort) the writable is aborted and the browser discards what was written, so no bad file is kept.
 * Without it, where the origin-private file system has writable files (Firefox), the body streams into a file
 * there, offered through an `<a download>` click once verified: memory stays flat too. Elsewhere (WebKit) the body
 * is read whole into a Blob and offered the same way. Either way a mismatch rejects before anything is offered.
 *
 * The picker needs a user gesture: call `saveBlob` from a click handler, right after `downloadBlob`.
 * @param download - the result of `client.downloadBlob(...)`; its body is consumed
 * @param filename - the suggested file name
 * @throws DigestValidationError when the bytes do not match the digest; `AbortError` when the user cancels the picker
 */
export async function saveBlob(
  download: DownloadBlobResult,
  filename: string,
  options: SaveBlobOptions = {},
): Promise<void> {
  if (typeof filename !== "string" || filename.length === 0) {
    throw new TypeError(`Invalid filename ${JSON.stringify(filename)}: expected a non-empty string`);
  }
  const picker = (globalThis as { showSaveFilePicker?: ShowSaveFilePicker }).showSaveFilePicker;
  if (options.method !== "download" && typeof picker === "function") {
    await saveThroughPicker(download, filename, picker, options.signal);
    return;
  }
  const root = await writableOpfsRoot();
  if (root) await saveThroughOpfs(download, filename, root, options.signal);
  else await saveThroughBlobUrl(download, filename, options.signal);
}

async function saveThroughPicker(
  download: DownloadBlobResult,
  filename: string,
  picker: ShowSaveFilePicker,
  signal?: AbortSignal,
): Promise<void> {
  let writable: FileSystemWritableFileStream;
  try {
    const handle = await picker.call(globalThis, { suggestedName: filename });
    writable = await handle.createWritable();
  } catch (error) {
    // The user cancelled or the page lacks permission: release the connection instead of leaving it open.
    await download.body.cancel(error).catch(() => undefined);
    throw error;
  }
  // pipeTo aborts the writable when the body errors, and an aborted FileSystemWritableFileStream never
  // replaces the file's contents: a digest mismatch leaves no bad file behind.
  await download.body.pipeTo(writable, signal ? { signal } : {});
}

async function saveThroughBlobUrl(download: DownloadBlobResult, filename: string, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const onAbort = () => void download.body.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  const parts: BlobPart[] = [];
  try {
    // Reading to the end is what runs the digest check; only verified bytes become a Blob. The reader is used
    // directly (not Response.blob()) so the body's own error, e.g. DigestValidationError, reaches the caller.
    const reader = download.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as Uint8Array<ArrayBuffer>);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  signal?.throwIfAborted();
  offerDownload(new Blob(parts), filename);
}
