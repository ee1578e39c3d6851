import { AcrkitError } from "./acrkit-error";
import type { OciErrorCode } from "./oci-error-codes";

/** One entry of a registry's `{"errors":[...]}` body. */
export interface RegistryErrorDetail {
  /** The registry's error code, e.g. `MANIFEST_UNKNOWN`. */
  code: string;
  /** The registry's message. */
  message?: string;
  /** Free-form detail: an object, an array or a string. */
  detail?: unknown;
}

/** What {@link RegistryError} is built from. */
export interface RegistryErrorInit {
  /** The HTTP status code. */
  statusCode: number;
  /** The HTTP method of the failed request. */
  method: string;
  /** The URL of the failed request, already without secrets. */
  url: string;
  /** The entries of the registry's `errors` array. */
  details?: RegistryErrorDetail[];
  /** The service's request id, when sent. */
  requestId?: string;
  /** The start of a body that was not a registry error document. */
  bodySnippet?: string;
  /** A message to use instead of the one built from the fields. */
  message?: string;
}

/**
 * A failed HTTP exchange with a registry.
 *
 * Holds the status, the registry's error codes and the request that failed; the URL has its secrets
 * (SAS signatures, credentials) removed and no field ever holds a token or a password.
 */
export class RegistryError extends AcrkitError {
  /** Always `"RegistryError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name: string = "RegistryError";
  /** The HTTP status code. */
  readonly statusCode: number;
  /** The first error code the registry sent (e.g. `MANIFEST_UNKNOWN`), if any; {@link RegistryError.hasCode} looks at all. */
  readonly code: string | undefined;
  /** Every entry of the registry's `errors` array. */
  readonly details: RegistryErrorDetail[];
  /** The HTTP method of the failed request. */
  readonly method: string;
  /** The URL of the failed request, without secrets. */
  readonly url: string;
  /** The service's request id (`x-ms-request-id`, `x-ms-correlation-request-id`), when sent. */
  readonly requestId: string | undefined;
  /** The start of a body that was not a registry error document (an HTML error page, say). */
  readonly bodySnippet: string | undefined;

  constructor(init: RegistryErrorInit) {
    const details = init.details ?? [];
    const first = details[0];
    const summary = first ? `${first.code}${first.message ? `: ${first.message}` : ""}` : init.bodySnippet;
    super(init.message ?? `${init.method} ${init.url} failed with ${init.statusCode}${summary ? ` (${summary})` : ""}`);
    this.statusCode = init.statusCode;
    this.code = first?.code;
    this.details = details;
    this.method = init.method;
    this.url = init.url;
    this.requestId = init.requestId;
    this.bodySnippet = init.bodySnippet;
  }

  /**
   * Whether any entry of the registry's `errors` array has one of `codes` (see {@link OciErrorCode}).
   *
   * A registry may send several entries, the telling one not first (a `DENIED` after an `UNAUTHORIZED`, say), so
   * {@link RegistryError.code}, the first, is not enough to decide on.
   */
  hasCode(...codes: OciErrorCode[]): boolean {
    return this.details.some((detail) => codes.includes(detail.code));
  }
}
