/**
 * Downloading a blob to a file so that the file is either complete and verified or not there at all.
 * @module
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Writable } from "node:stream";
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
): Promise<{ digest: string; size: number }> {
  const temporary = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.partial`);
  try {
    const result = await client.downloadBlob(repository, digest, options);
    await result.body.pipeTo(Writable.toWeb(createWriteStream(temporary, { flags: "wx" })), { signal: options.signal });
    await rename(temporary, path);
    return { digest: result.digest, size: result.size };
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
