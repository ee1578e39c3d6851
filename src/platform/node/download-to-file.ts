/**
 * Downloading a blob to a file so that the file is either complete and verified or not there at all.
 * @module
 */
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { ContainerRegistryClient } from "../../core/client";
import type { DownloadBlobOptions } from "../../core/content/download-blob";
import { fileTarget } from "./file-target";
import { HeldPrefix } from "./held-prefix";

/** Options of {@link downloadBlobToFile}. */
export interface DownloadBlobToFileOptions extends DownloadBlobOptions {
  /**
   * Keep the partial file when the download fails or the process dies (`.<name>.<digest>.partial` beside `path`,
   * with a `.held` record of how many bytes from its start were written without a gap), and continue from there with
   * Range the next time; those bytes are hashed again, so the file is still verified whole, and bytes that had arrived
   * beyond a gap are fetched again. A registry that will not send a range gets the blob from the start. Default false.
   */
  resume?: boolean;
}

/**
 * Downloads a blob to `path`. The bytes go to a temporary file in the same folder (over several connections, each
 * range is written at its offset as it arrives, and hashed as the file fills), and only once their digest is
 * verified is it renamed over `path`; on a mismatch, an error or an abort the temporary file is removed (kept for the
 * next try with `resume`) and an existing file at `path` is left untouched.
 */
export async function downloadBlobToFile(
  client: ContainerRegistryClient,
  repository: string,
  digest: string,
  path: string,
  options: DownloadBlobToFileOptions = {},
): Promise<{
  /** The blob's digest, which the file's content was verified against. */
  digest: string;
  /** The blob's size in bytes, as written to the file. */
  size: number;
}> {
  const { resume = false, ...downloadOptions } = options;
  // A resumable download has a name the next run finds; a plain one a name no other run shares.
  const temporary = join(
    dirname(path),
    resume
      ? `.${basename(path)}.${digest.replace(":", "-")}.partial`
      : `.${basename(path)}.${crypto.randomUUID()}.partial`,
  );
  // Ranges are written at their offsets, so a partial file may have holes: the prefix the hash has read is recorded.
  const prefix = resume ? new HeldPrefix(`${temporary}.held`) : undefined;
  let handle: FileHandle | undefined;
  /** The bytes from the start written and handed to the hash. */
  let loaded = 0;
  try {
    const held = prefix ? await prefix.read(temporary) : 0;
    loaded = held;
    // Recorded before any byte beyond it is written: a process killed from here on leaves a record that holds.
    await prefix?.write(held);
    handle = await open(temporary, held > 0 ? "r+" : resume ? "w+" : "wx+");
    // Whatever an earlier run wrote past its prefix is not the blob's until this run writes it again.
    if (held > 0) await handle.truncate(held);
    const result = await client.downloadBlobTo(repository, digest, fileTarget(handle), {
      ...downloadOptions,
      heldBytes: held,
      onProgress: (progress) => {
        loaded = progress.loaded;
        prefix?.progress(loaded);
        options.onProgress?.(progress);
      },
    });
    // A partial file longer than the blob, whose download started over, keeps nothing past the blob's end.
    await handle.truncate(result.size);
    await handle.close();
    await rename(temporary, path);
    await prefix?.remove();
    return { digest: result.digest, size: result.size };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (!resume || (error as Error).name === "DigestValidationError") {
      await rm(temporary, { force: true });
      await prefix?.remove();
    } else await prefix?.write(loaded).catch(() => undefined);
    throw error;
  }
}
