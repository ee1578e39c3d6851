/**
 * Files as upload sources: read chunk by chunk from disk, never whole, and re-readable for resumed uploads.
 * @module
 */
import { statSync } from "node:fs";
import { open } from "node:fs/promises";
import type { RandomAccessSource } from "../../core/content/blob-source";

/**
 * A file to upload with `uploadBlob`. Its size is read now, so progress has a total; its bytes are read as
 * the upload needs them.
 *
 * @example
 * ```ts
 * await client.uploadBlob("team/app", fileSource("./layer.tar.gz"), { onProgress: console.log });
 * ```
 */
export function fileSource(path: string): RandomAccessSource {
  const stats = statSync(path);
  if (!stats.isFile()) throw new TypeError(`fileSource needs a regular file, and ${JSON.stringify(path)} is not one`);
  const size = stats.size;
  return {
    size,
    async read(offset, length) {
      const buffer = new Uint8Array(length);
      return buffer.subarray(0, await readFileInto(path, offset, buffer));
    },
    readInto: (offset, target) => readFileInto(path, offset, target),
  };
}

/** Fills `target` from the file at `offset`; returns how many bytes it read (fewer only at the end of the file). */
async function readFileInto(path: string, offset: number, target: Uint8Array): Promise<number> {
  const handle = await open(path, "r");
  try {
    let filled = 0;
    while (filled < target.byteLength) {
      const { bytesRead } = await handle.read(target, filled, target.byteLength - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  } finally {
    await handle.close();
  }
}
