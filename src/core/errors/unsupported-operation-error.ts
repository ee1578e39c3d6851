import { AcrkitError } from "./acrkit-error";

/**
 * The registry cannot do what was asked: it has no ACR `/acr/v1` API (docker-registry, Harbor, Zot, GitHub's
 * registry), or it refuses an OCI operation it does not implement, such as deleting a tag alone.
 *
 * Nothing was changed on the registry. `operation` names the acrkit method, `reason` says what the registry lacks.
 */
export class UnsupportedOperationError extends AcrkitError {
  /** Always `"UnsupportedOperationError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "UnsupportedOperationError";

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
    super(`${operation} is not supported by ${registry}: the registry ${reason}`, options);
  }
}
