/**
 * Upload a file with a progress bar: the file is read from disk chunk by chunk, never whole, and `onProgress`
 * reports the whole blob's progress (not each request's).
 *
 * Run: `npx tsx examples/upload-file-with-progress.ts [file]`; without a file, a 24 MiB file of random bytes is made.
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSource } from "acrkit/node";
import { formatBytes, progressBar } from "./support/progress";
import { withRegistry } from "./support/registry";

const repository = "samples/files";

/** The file named on the command line, or a new temporary file of random bytes and a way to remove it. */
async function fileToUpload(): Promise<{ path: string; cleanUp: () => Promise<void> }> {
  const named = process.argv[2];
  if (named) return { path: named, cleanUp: async () => {} };
  const directory = await mkdtemp(join(tmpdir(), "acrkit-upload-"));
  const path = join(directory, "random.bin");
  await writeFile(path, randomBytes(24 * 1024 * 1024));
  return { path, cleanUp: () => rm(directory, { recursive: true, force: true }) };
}

await withRegistry({}, async ({ client, emulator }) => {
  const file = await fileToUpload();
  try {
    const source = fileSource(file.path);
    console.log(`Uploading ${file.path} (${formatBytes(source.size)}) to ${repository}`);
    const bar = progressBar("upload");
    // Over loopback the default 8 MiB chunks finish too fast to watch; 1 MiB chunks make the bar move.
    const result = await client.uploadBlob(repository, source, {
      onProgress: bar.onProgress,
      chunkSize: emulator ? 1024 * 1024 : undefined,
    });
    bar.done();
    console.log(`Uploaded ${result.digest} (${formatBytes(result.size)})`);
    console.log(`Registry has it: ${await client.blobExists(repository, result.digest)}`);
  } finally {
    await file.cleanUp();
  }
});
