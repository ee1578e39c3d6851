/**
 * An ACR refresh token used as it is.
 * @module
 */

/**
 * An ACR refresh token (what `az acr login` stores as `identitytoken`, or what `/oauth2/exchange` returned), used
 * directly in the registry's refresh-token grant (`POST /oauth2/token`, `grant_type=refresh_token`): no Entra ID
 * call. It is sent only to the registry's own token endpoint (or a host listed in `trustedRealmHosts`).
 */
export class RefreshTokenCredential {
  /** Discriminates credential kinds without `instanceof` across bundles. */
  readonly kind = "refreshToken" as const;
  readonly #refreshToken: string;

  /** @param refreshToken - the refresh token; kept private so that it never shows up in logs or `JSON.stringify` */
  constructor(refreshToken: string) {
    if (typeof refreshToken !== "string" || refreshToken.length === 0) {
      throw new TypeError("RefreshTokenCredential needs a non-empty refresh token");
    }
    this.#refreshToken = refreshToken;
  }

  /** The refresh token. */
  get refreshToken(): string {
    return this.#refreshToken;
  }
}
