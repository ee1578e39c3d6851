/**
 * A registry refusing the way an upload was sent (not its content): the upload falls back to another strategy.
 * @module
 */
import { AcrkitError } from "../errors/acrkit-error";
import { RegistryError } from "../errors/registry-error";
import { OciErrorCode } from "../errors/oci-error-codes";

/** How the registry refused: a body over its limit, a second PATCH in a session, or a chunk below its minimum. */
export type RefusalKind = "too-large" | "single-request" | "small-chunk";

/** The registry refused how an upload was sent; the uploader learns from it and tries the next strategy. */
export class UploadStrategyRefused extends AcrkitError {
  override readonly name = "UploadStrategyRefused";

  /**
   * @param kind - what the registry refused
   * @param bodyLength - the size of the refused request body, when known
   * @param answer - the registry's answer
   */
  constructor(
    readonly kind: RefusalKind,
    readonly bodyLength: number | undefined,
    readonly answer: RegistryError,
  ) {
    super(`The registry refused the upload request (${kind}): ${answer.message}`, { cause: answer });
  }
}

/** Codes with which registries refuse a chunk below their minimum size. */
const SMALL_CHUNK_CODES = [OciErrorCode.SIZE_INVALID, OciErrorCode.BLOB_UPLOAD_INVALID, OciErrorCode.RANGE_INVALID];

/**
 * The refusal an error stands for, or undefined: a 413 is always one; a 400 on a PATCH shorter than the registry's
 * minimum chunk is one (the caller says whether the chunk was short).
 */
export function refusalOf(error: unknown, bodyLength: number | undefined, shortChunk: boolean): UploadStrategyRefused | undefined {
  if (!(error instanceof RegistryError)) return undefined;
  if (error.statusCode === 413) return new UploadStrategyRefused("too-large", bodyLength, error);
  if (error.statusCode === 400 && shortChunk && error.hasCode(...SMALL_CHUNK_CODES)) return new UploadStrategyRefused("small-chunk", bodyLength, error);
  return undefined;
}
