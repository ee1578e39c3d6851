/**
 * The error of a platform credential (MSAL-node or MSAL-browser) whose authority refused or failed.
 * @module
 */
import { AuthenticationError } from "../../core/errors/authentication-error";

/** What a {@link CredentialAuthenticationError} carries besides its message. */
export interface AuthenticationErrorDetails {
  /** The OAuth or MSAL error code, e.g. `invalid_client`, `network_error`. */
  errorCode?: string;
  /** The HTTP status of the authority's answer, when there was one. */
  statusCode?: number;
  /** The correlation id to quote when asking Microsoft support, when there is one. */
  correlationId?: string;
  /** The underlying error (usually MSAL's). */
  cause?: unknown;
}

/**
 * A configured credential tried and the authority (or managed identity endpoint) refused or failed: a wrong
 * secret, an unknown app, a certificate the app does not know, an unreachable authority. The message says which
 * credential failed and why, and never holds a secret, a token or a private key. It is an {@link AuthenticationError},
 * so one `instanceof AuthenticationError` catches every authentication failure, the registry's and the authority's.
 */
export class CredentialAuthenticationError extends AuthenticationError {
  /** Always `"CredentialAuthenticationError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name: string = "CredentialAuthenticationError";
  /** The OAuth or MSAL error code, e.g. `invalid_client`. */
  readonly errorCode?: string;
  /** The correlation id of the failed request, when there is one. */
  readonly correlationId?: string;

  /**
   * @param credentialName - the credential class that failed, e.g. `"ClientSecretCredential"`
   * @param message - why; never holds a secret
   * @param details - error code, status, correlation id and cause
   */
  constructor(
    readonly credentialName: string,
    message: string,
    details: AuthenticationErrorDetails = {},
  ) {
    super(`${credentialName} authentication failed: ${message}`, undefined, {
      cause: details.cause,
      statusCode: details.statusCode,
    });
    this.errorCode = details.errorCode;
    this.correlationId = details.correlationId;
  }
}
