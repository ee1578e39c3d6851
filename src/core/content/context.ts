/**
 * What the content operations need beyond the shared operation context.
 * @module
 */
import type { HasherFactory } from "../digest/hasher";
import type { RetryPolicy } from "../http/retry-policy";
import type { OperationContext } from "../operation-context";
import type { ConnectionBudget } from "./connection-budget";
import type { ParallelSettings } from "./parallel-download";
import type { UploadTraits } from "./upload-traits";

/** The operation context plus the content settings of the client. */
export interface ContentContext extends OperationContext {
  hasherFactory: HasherFactory;
  /** The default size of upload chunks, in bytes. */
  chunkSize: number;
  /** Whether the client's options set `chunkSize`: its uploads then go in chunks. */
  chunkSizeSet: boolean;
  /** The client's retry policy: its backoff paces upload resumes and restarts too. */
  retry: RetryPolicy;
  /**
   * What the client learned about how its registry takes uploads; made by the first upload (`uploadTraitsOf`), so
   * that a metadata-only page does not load it.
   */
  uploads?: UploadTraits;
  /** How blobs are downloaded over several connections. */
  downloads: DownloadSettings;
}

/** The client's settings of parallel downloads. */
export interface DownloadSettings extends ParallelSettings {
  /** Blobs from this size up may use several connections. */
  threshold: number;
  /** The connections the client's transfers share; made by the first download (`connectionBudgetOf`). */
  budget?: ConnectionBudget;
}

/** A transfer's progress: bytes done, and the total when known. */
export interface TransferProgress {
  /** Bytes transferred so far, for the whole blob. */
  loaded: number;
  /** The blob's size, when known beforehand (always for downloads; for uploads, when the source has a size). */
  total?: number;
}
