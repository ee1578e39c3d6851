/**
 * Credential shapes the client accepts.
 *
 * `TokenCredential` is structurally the same as `@azure/identity`'s, so every Azure credential works unchanged.
 * @module
 */
import type { RefreshTokenCredential } from "./refresh-token-credential";
import type { RegistryCredentialResolver } from "./registry-credential-resolver";

/** An access token with its expiry, as returned by a {@link TokenCredential}. */
export interface AccessToken {
  /** The bearer token. */
  token: string;
  /** When the token expires, in milliseconds since the epoch. */
  expiresOnTimestamp: number;
}

/** Options a {@link TokenCredential} may receive. */
export interface GetTokenOptions {
  /** Cancels the token request. */
  abortSignal?: AbortSignal;
  /** The tenant to request the token for, where the credential supports several. */
  tenantId?: string;
}

/** Anything that can produce Microsoft Entra ID (AAD) access tokens, such as every `@azure/identity` credential. */
export interface TokenCredential {
  /** Returns an access token for the given scopes, or null when none can be had. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>;
}

/** Anonymous access: pull from registries that allow it, without any credential. */
export class AnonymousCredential {
  /** Discriminates credential kinds without `instanceof` across bundles. */
  readonly kind = "anonymous" as const;
}

/** A username and password: the ACR admin user, a repository-scoped token, or a plain registry login. */
export class BasicCredential {
  /** Discriminates credential kinds without `instanceof` across bundles. */
  readonly kind = "basic" as const;
  readonly #password: string;

  /**
   * @param username - the user name (for ACR tokens, the token name)
   * @param password - the password; kept private so that it never shows up in logs or `JSON.stringify`
   */
  constructor(
    readonly username: string,
    password: string,
  ) {
    if (typeof username !== "string" || username.length === 0) {
      throw new TypeError("BasicCredential needs a non-empty username");
    }
    if (typeof password !== "string") throw new TypeError("BasicCredential needs a password string");
    this.#password = password;
  }

  /** The password. */
  get password(): string {
    return this.#password;
  }
}

/** A Microsoft Entra ID (AAD) access token obtained elsewhere, wrapped as a {@link TokenCredential}. */
export class StaticTokenCredential implements TokenCredential {
  readonly #token: string;
  readonly #expiresOnTimestamp: number;

  /**
   * @param token - the AAD access token for the registry's audience
   * @param expiresOnTimestamp - its expiry in milliseconds since the epoch; unknown means "far future"
   */
  constructor(token: string, expiresOnTimestamp = Number.MAX_SAFE_INTEGER) {
    if (typeof token !== "string" || token.length === 0) {
      throw new TypeError("StaticTokenCredential needs a non-empty token");
    }
    this.#token = token;
    this.#expiresOnTimestamp = expiresOnTimestamp;
  }

  /** Returns the wrapped token, whatever the scopes. */
  async getToken(): Promise<AccessToken> {
    return { token: this.#token, expiresOnTimestamp: this.#expiresOnTimestamp };
  }
}

/**
 * Every credential the client accepts: a token credential, a username and password, anonymous access, an ACR
 * refresh token, or a resolver that picks one of those for the client's registry (e.g. from a docker config).
 */
export type RegistryCredential =
  TokenCredential | BasicCredential | AnonymousCredential | RefreshTokenCredential | RegistryCredentialResolver;
