import { AcrkitError } from "./acrkit-error";
/** Why a request got no HTTP response at all. */
export type NetworkErrorReason = "timeout" | "connection";

/** A request that got no HTTP response: the connection failed or the timeout ran out, after all retries. */
export class NetworkError extends AcrkitError {
  /** Always `"NetworkError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "NetworkError";

  /**
   * @param reason - a timeout or a connection failure
   * @param method - the HTTP method
   * @param url - the URL, without secrets
   * @param options - the underlying error as `cause`
   */
  constructor(
    readonly reason: NetworkErrorReason,
    readonly method: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${url}: ${reason === "timeout" ? "timed out" : "connection failed"}`, options);
  }
}
