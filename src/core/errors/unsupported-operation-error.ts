import { AcrkitError } from "./acrkit-error";

/**
 * The registry cannot do what was asked: it has no ACR `/acr/v1` API (docker-registry, Harbor, Zot, GitHub's
 * registry), or it refuses an OCI operation it does not implement, such as deleting a tag alone.
 *
 * Nothing was changed on the registry. `operation` names the acrkit method, `reason` says what the registry lacks,
 * and `status` and `code` the registry's answer that showed it (from the `cause`, when that is a `RegistryError`).
 */
export class UnsupportedOperationError extends AcrkitError {
  /** Always `"UnsupportedOperationError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "UnsupportedOperationError";
  /** The HTTP status of the registry's answer that showed it, e.g. 405; undefined when no answer said so. */
  readonly status: number | undefined;
  /** The registry's error code in that answer, e.g. `UNSUPPORTED`; undefined when it sent none. */
  readonly code: string | undefined;

  /**
   * @param operation - the acrkit method that cannot run there, e.g. `deleteTag`
   * @param registry - the registry's login server, e.g. `127.0.0.1:5000`
   * @param reason - what the registry lacks, as a sentence fragment (`has no ACR /acr/v1 API`)
   * @param options - the registry's answer that showed it, as `cause`
   */
  constructor(
    readonly operation: string,
    readonly registry: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    const answer = answerOf(options?.cause);
    const said =
      answer === undefined ? "" : ` (it answered ${answer.statusCode}${answer.code ? ` ${answer.code}` : ""})`;
    super(`${operation} is not supported by ${registry}: the registry ${reason}${said}`, options);
    this.status = answer?.statusCode;
    this.code = answer?.code;
  }
}

/** The registry's answer behind a cause: the first error down its cause chain with a status (RegistryError, AuthenticationError). */
function answerOf(cause: unknown): { statusCode: number; code?: string | undefined } | undefined {
  for (let current = cause, depth = 0; current instanceof Error && depth < 5; depth++) {
    const { statusCode, code } = current as { statusCode?: unknown; code?: unknown };
    if (typeof statusCode === "number") return { statusCode, code: typeof code === "string" ? code : undefined };
    current = current.cause;
  }
  return undefined;
}
