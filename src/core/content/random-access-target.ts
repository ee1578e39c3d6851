/**
 * Where a download to storage puts a blob: a destination written at any offset and read back, such as a file opened
 * for positional writes (acrkit/node's `downloadBlobToFile`) or, in a browser, an OPFS file's `createWritable` with
 * `write({ type: "write", position, data })` and a read through `getFile().slice(...)`.
 * @module
 */

/**
 * A destination that takes bytes at any offset and gives back what was written: the ranges of a parallel download
 * are written where they belong as they arrive, and hashed by reading them back once the bytes before them are there.
 */
export interface RandomAccessTarget {
  /** Writes all of `bytes` at `offset`; resolves once a `read` of that span returns them. */
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** Reads `length` bytes from `offset`, all of which were written before; fewer is an error of the target. */
  read(offset: number, length: number): Promise<Uint8Array>;
}
