/**
 * Downloading a blob to a file so that the file is either complete and verified or not there at all.
 * @module
 */
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { ContainerRegistryClient } from "../../core/client";
import type { DownloadBlobOptions } from "../../core/content/download-blob";

/**
 * Downloads a blob to `path`. The bytes go to a temporary file in the same folder, and only once their digest is
 * verified is it renamed over `path`; on a mismatch, an error or an abort the temporary file is removed and an
 * existing file at `path` is left untouched.
 */
export async function downloadBlobToFile(
  client: ContainerRegistryClient,
  repository: string,
  digest: string,
  path: string,
  options: DownloadBlobOptions = {},
): Promise<{
  /** The blob's digest, which the file's content was verified against. */
  digest: string;
  /** The blob's size in bytes, as written to the file. */
  size: number;
}> {
  const temporary = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.partial`);
  let handle: FileHandle | undefined;
  try {
    const result = await client.downloadBlob(repository, digest, options);
    // The file is created before any byte is piped, so that the cleanup below never runs ahead of an open that is
    // still pending (createWriteStream opens lazily, and could create the file after an early abort removed it).
    handle = await open(temporary, "wx");
    await result.body.pipeTo(fileSink(handle), { signal: options.signal });
    // A blob sent without Content-Length has the size of what was verified and written.
    const size = result.size ?? (await stat(temporary)).size;
    await rename(temporary, path);
    return { digest: result.digest, size };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true });
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
      for (let written = 0; written < piece.byteLength; ) {
        written += (await handle.write(piece, written, piece.byteLength - written)).bytesWritten;
      }
    },
    close: () => handle.close(),
  });
}
