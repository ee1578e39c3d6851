/**
 * What the content operations need beyond the shared operation context.
 * @module
 */
import type { HasherFactory } from "../digest/hasher";
import type { OperationContext } from "../registry/context";

/** The operation context plus the content settings of the client. */
export interface ContentContext extends OperationContext {
  hasherFactory: HasherFactory;
  /** The default size of upload chunks, in bytes. */
  chunkSize: number;
}

/** A transfer's progress: bytes done, and the total when known. */
export interface TransferProgress {
  /** Bytes transferred so far, for the whole blob. */
  loaded: number;
  /** The blob's size, when known beforehand (always for downloads; for uploads, when the source has a size). */
  total?: number;
}
