/**
 * A registry refusing the way an upload was sent (not its content): the upload falls back to another strategy.
 * @module
 */
import { AcrkitError } from "../errors/acrkit-error";
import { RegistryError } from "../errors/registry-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { sizeLimitIn } from "./upload-limit";

/** How the registry refused: a body over its limit, a second PATCH in a session, or a chunk below its minimum. */
export type RefusalKind = "too-large" | "single-request" | "small-chunk";

/** The registry refused how an upload was sent; the uploader learns from it and tries the next strategy. */
export class UploadStrategyRefused extends AcrkitError {
  override readonly name = "UploadStrategyRefused";

  /**
   * @param kind - what the registry refused
   * @param bodyLength - the size of the refused request body, when known
   * @param answer - the registry's answer
   * @param limit - the largest body the answer said the registry takes, in bytes, when it named one
   */
  constructor(
    readonly kind: RefusalKind,
    readonly bodyLength: number | undefined,
    readonly answer: RegistryError,
    readonly limit?: number,
  ) {
    super(`The registry refused the upload request (${kind}): ${answer.message}`, { cause: answer });
  }
}

/** Codes with which registries refuse a chunk below their minimum size. */
const SMALL_CHUNK_CODES = [OciErrorCode.SIZE_INVALID, OciErrorCode.BLOB_UPLOAD_INVALID, OciErrorCode.RANGE_INVALID];

/**
 * The refusal an error stands for, or undefined: a 413 is always one, and so is a 416 on the first bytes of a
 * session (nothing came before them to be out of step with: GHCR answers a chunk over its limit so, registry-quirks
 * row 13); a 400 on a PATCH shorter than the registry's minimum chunk is one. The caller says whether the request
 * carried the session's first bytes and whether its chunk was short. A limit named in the answer comes along.
 */
export function refusalOf(
  error: unknown,
  bodyLength: number | undefined,
  shortChunk: boolean,
  firstBytes = false,
): UploadStrategyRefused | undefined {
  if (!(error instanceof RegistryError)) return undefined;
  const tooLarge = error.statusCode === 413 || (error.statusCode === 416 && firstBytes && (bodyLength ?? 0) > 1);
  if (tooLarge)
    return new UploadStrategyRefused(
      "too-large",
      bodyLength,
      error,
      sizeLimitIn([...error.details.map((detail) => detail.message ?? ""), error.bodySnippet ?? ""].join(" ")),
    );
  if (error.statusCode === 400 && shortChunk && error.hasCode(...SMALL_CHUNK_CODES))
    return new UploadStrategyRefused("small-chunk", bodyLength, error);
  return undefined;
}
