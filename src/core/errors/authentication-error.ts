import { AcrkitError } from "./acrkit-error";

/** What an {@link AuthenticationError} knows of the refusal, when a server refused. */
export interface AuthenticationErrorInit {
  /** The underlying error. */
  cause?: unknown;
  /** The HTTP status of the refusal (401, 403), when a server answered. */
  statusCode?: number;
  /** The server's error code (e.g. `UNAUTHORIZED`), when it sent one. */
  code?: string;
  /** The HTTP method of the refused request. */
  method?: string;
  /** The URL of the refused request, without secrets. */
  url?: string;
}

/**
 * The registry or its token service refused every credential acrkit could present (a wrong password, a credential
 * without access, anonymous access to a private repository), or a credential could not produce a token.
 *
 * A refusal by a server keeps its `statusCode` (401, 403) and the server's error `code`, so `error.statusCode === 401`
 * works as it does for a {@link RegistryError}.
 */
export class AuthenticationError extends AcrkitError {
  /** The error's class name, `"AuthenticationError"`, or the subclass's name (e.g. `"CredentialAuthenticationError"`); for logs and checks across realms where `instanceof` fails. */
  override readonly name: string = "AuthenticationError";
  /** The HTTP status of the refusal, when a server refused. */
  readonly statusCode?: number;
  /** The server's error code, when it sent one. */
  readonly code?: string;
  /** The HTTP method of the refused request, when a server refused. */
  readonly method?: string;
  /** The URL of the refused request, without secrets, when a server refused. */
  readonly url?: string;

  /**
   * @param message - what failed, without any secret
   * @param scope - the access scope that was being requested, e.g. `repository:app:pull`
   * @param init - the underlying error as `cause`, and the server's refusal when there was one
   */
  constructor(
    message: string,
    readonly scope?: string,
    init: AuthenticationErrorInit = {},
  ) {
    super(message, { cause: init.cause });
    if (init.statusCode !== undefined) this.statusCode = init.statusCode;
    if (init.code !== undefined) this.code = init.code;
    if (init.method !== undefined) this.method = init.method;
    if (init.url !== undefined) this.url = init.url;
  }
}
