/**
 * A file opened for reading and writing as the target of a positional download: `pwrite` and `pread` at any offset,
 * several at once.
 * @module
 */
import type { FileHandle } from "node:fs/promises";
import type { RandomAccessTarget } from "../../core/content/random-access-target";

/** `handle` (opened with a `+` flag) as a {@link RandomAccessTarget}. */
export function fileTarget(handle: FileHandle): RandomAccessTarget {
  return {
    async write(offset, bytes) {
      for (let written = 0; written < bytes.byteLength;) {
        written += (await handle.write(bytes, written, bytes.byteLength - written, offset + written)).bytesWritten;
      }
    },
    async read(offset, length) {
      const bytes = new Uint8Array(length);
      for (let read = 0; read < length;) {
        const { bytesRead } = await handle.read(bytes, read, length - read, offset + read);
        if (bytesRead === 0) throw new RangeError(`The file ends before byte ${offset + length} (at ${offset + read})`);
        read += bytesRead;
      }
      return bytes;
    },
  };
}
