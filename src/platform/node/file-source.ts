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
      const handle = await open(path, "r");
      try {
        const buffer = new Uint8Array(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === length ? buffer : buffer.subarray(0, filled);
      } finally {
        await handle.close();
      }
    },
  };
}
