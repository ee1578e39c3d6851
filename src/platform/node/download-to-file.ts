/**
 * Downloading a blob to a file so that the file is either complete and verified or not there at all.
 * @module
 */
import { createReadStream } from "node:fs";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import type { ContainerRegistryClient } from "../../core/client";
import type { DownloadBlobOptions } from "../../core/content/download-blob";

/** Options of {@link downloadBlobToFile}. */
export interface DownloadBlobToFileOptions extends DownloadBlobOptions {
  /**
   * Keep the partial file when the download fails or the process dies (`.<name>.<digest>.partial` beside `path`),
   * and continue from it with Range the next time; its bytes are hashed again, so the file is still verified whole.
   * A registry that will not send a range gets the blob from the start. Default false.
   */
  resume?: boolean;
}

/**
 * Downloads a blob to `path`. The bytes go to a temporary file in the same folder, and only once their digest is
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
  let handle: FileHandle | undefined;
  try {
    const held = resume
      ? await stat(temporary).then(
          (s) => s.size,
          () => 0,
        )
      : 0;
    let offset = held;
    let result;
    try {
      result = await client.downloadBlob(
        repository,
        digest,
        offset > 0
          ? {
              ...downloadOptions,
              resumeFrom: {
                offset,
                prefix: Readable.toWeb(createReadStream(temporary, { end: offset - 1 })) as ReadableStream<Uint8Array>,
              },
            }
          : downloadOptions,
      );
    } catch (error) {
      // A registry that answers a range with anything but 206 (or a partial file longer than the blob): start over.
      if (offset === 0 || !["RegistryError", "RangeError", "DigestValidationError"].includes((error as Error).name))
        throw error;
      offset = 0;
      result = await client.downloadBlob(repository, digest, downloadOptions);
    }
    // The file is created (or opened at its end) before any byte is piped, so that the cleanup below never runs
    // ahead of an open that is still pending (createWriteStream opens lazily, and could create the file after an
    // early abort removed it).
    handle = await open(temporary, offset > 0 ? "a" : resume ? "w" : "wx");
    await result.body.pipeTo(fileSink(handle), { signal: options.signal });
    // A blob sent without Content-Length has the size of what was verified and written.
    const size = result.size ?? (await stat(temporary)).size;
    await rename(temporary, path);
    return { digest: result.digest, size };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (!resume || (error as Error).name === "DigestValidationError") await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * A sink that writes each piece to the file before it takes the next: the download's own backpressure. (A stream from
 * `Writable.toWeb` measures its queue in pieces against the file stream's mark in bytes, 16 384, so a pipe may run
 * that many pieces ahead of the disk: the likely cause of the +155 MiB in bench/README.md "Parallel downloads".)
 */
function fileSink(handle: FileHandle): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    async write(piece) {
      for (let written = 0; written < piece.byteLength;) {
        written += (await handle.write(piece, written, piece.byteLength - written)).bytesWritten;
      }
    },
    close: () => handle.close(),
  });
}
