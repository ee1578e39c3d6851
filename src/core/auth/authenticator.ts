/**
 * Decides what `Authorization` a request carries, learns the registry's challenge, and caches tokens per scope.
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import type { Transport } from "../http/transport";
import { raceSignal } from "../utils/abort";
import { findChallenge, parseChallenges } from "./challenge";
import type { AnonymousCredential, BasicCredential, RegistryCredential, TokenCredential } from "./credential";
import type { RefreshTokenCredential } from "./refresh-token-credential";
import { isRegistryCredentialResolver, resolveRegistryCredential } from "./registry-credential-resolver";
import { SingleFlightCache } from "./token-cache";
import {
  basicAuthorization,
  exchangeAadToken,
  requestAccessTokenByGet,
  requestAccessTokenByPost,
  type TokenService,
} from "./token-requests";

/** Settings of an {@link Authenticator}. */
export interface AuthenticatorOptions {
  /** The registry's base URL. */
  endpoint: URL;
  /** The AAD audience; the token scope is `${audience}/.default`. */
  audience: string;
  /** Hosts other than the registry's own that may receive credentials as a token realm. */
  trustedRealmHosts?: readonly string[];
  /** The tenant to pass to the AAD credential and the exchange. */
  tenantId?: string;
}

/** What the registry asked for, learned from its first challenge; the same for every scope of one registry. */
type LearnedScheme = { scheme: "basic" } | { scheme: "bearer"; service: TokenService };

/**
 * Authorizes requests for one registry.
 *
 * Once a challenge has shown how the registry authenticates, every request carries a token for its scope at once
 * (pre-emptive auth): a warm client pays one HTTP request per call.
 */
export class Authenticator {
  #credential: RegistryCredential;
  readonly #transport: Transport;
  readonly #options: AuthenticatorOptions;
  readonly #accessTokens = new SingleFlightCache<string>();
  readonly #refreshTokens = new SingleFlightCache<string>();
  #learned: LearnedScheme | undefined;

  constructor(credential: RegistryCredential | undefined, transport: Transport, options: AuthenticatorOptions) {
    this.#credential = credential ?? { kind: "anonymous" };
    this.#transport = transport;
    this.#options = options;
  }

  /** The `Authorization` value to send up front for `scope`, or undefined until the registry's scheme is known. */
  async authorize(scope: string, signal?: AbortSignal): Promise<string | undefined> {
    const learned = this.#learned;
    if (!learned) return undefined;
    if (learned.scheme === "basic") return this.#basicHeader();
    return `Bearer ${await this.#accessToken(learned.service, scope, scope, signal)}`;
  }

  /**
   * Answers a 401: learns the challenge and returns the `Authorization` to retry with, or undefined when
   * there is nothing better to send (then the 401 stands).
   */
  async onChallenge(
    response: Response,
    scope: string,
    sentAuthorization: string | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const credential = this.#credential;
    if (isRegistryCredentialResolver(credential)) this.#credential = await resolveRegistryCredential(credential, this.#options.endpoint, signal);
    const header = response.headers.get("www-authenticate");
    const bearer = findChallenge(header, "bearer");
    if (bearer?.params.realm) {
      const service: TokenService = {
        realm: this.#checkedRealm(bearer.params.realm),
        service: bearer.params.service ?? this.#options.endpoint.host,
      };
      this.#learned = { scheme: "bearer", service };
      if (sentAuthorization?.startsWith("Bearer ")) {
        this.#accessTokens.invalidate(cacheKey(service, scope), sentAuthorization.slice("Bearer ".length));
      }
      return `Bearer ${await this.#accessToken(service, scope, bearer.params.scope ?? scope, signal)}`;
    }
    if (findChallenge(header, "basic") || parseChallenges(header).length === 0) {
      const basic = this.#basicHeader();
      if (!basic || sentAuthorization === basic) return undefined;
      this.#learned = { scheme: "basic" };
      return basic;
    }
    return undefined;
  }

  #basicHeader(): string | undefined {
    const credential = this.#credential;
    return isBasic(credential) ? basicAuthorization(credential.username, credential.password) : undefined;
  }

  #accessToken(service: TokenService, cacheScope: string, requestScope: string, signal?: AbortSignal): Promise<string> {
    // The load is shared by every waiting caller, so it must not die with one caller's signal.
    const load = () => this.#fetchAccessToken(service, requestScope);
    return raceSignal(this.#accessTokens.get(cacheKey(service, cacheScope), load), signal);
  }

  async #fetchAccessToken(service: TokenService, scope: string) {
    const credential = this.#credential;
    if (isBasic(credential)) {
      this.#assertMayReceiveCredentials(service.realm);
      return requestAccessTokenByGet(this.#transport, service, scope, credential);
    }
    if (isRefreshToken(credential)) {
      this.#assertMayReceiveCredentials(service.realm);
      return requestAccessTokenByPost(this.#transport, service, scope, credential.refreshToken);
    }
    if (isAnonymous(credential)) {
      return this.#isAcrRealm(service.realm)
        ? requestAccessTokenByPost(this.#transport, service, scope, undefined)
        : requestAccessTokenByGet(this.#transport, service, scope, undefined);
    }
    this.#assertMayReceiveCredentials(service.realm);
    const refreshToken = await this.#refreshTokens.get(service.service, () => this.#exchange(credential, service));
    return requestAccessTokenByPost(this.#transport, service, scope, refreshToken);
  }

  async #exchange(credential: TokenCredential, service: TokenService) {
    const aadScope = `${this.#options.audience.replace(/\/+$/, "")}/.default`;
    let aad;
    try {
      aad = await credential.getToken(aadScope, { tenantId: this.#options.tenantId });
    } catch (error) {
      throw new AuthenticationError(`The credential could not get a token for ${aadScope}`, aadScope, { cause: error });
    }
    if (!aad?.token) throw new AuthenticationError(`The credential returned no token for ${aadScope}`, aadScope);
    return exchangeAadToken(this.#transport, service, aad.token, this.#options.tenantId);
  }

  #checkedRealm(realm: string): URL {
    let url: URL;
    try {
      url = new URL(realm, this.#options.endpoint);
    } catch {
      throw new AuthenticationError(`The registry's challenge names an invalid realm ${JSON.stringify(realm.slice(0, 100))}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new AuthenticationError(`The registry's challenge names a realm with an unsupported scheme: ${url.protocol}`);
    }
    return url;
  }

  /** Credentials go only to the registry's own origin, or to hosts the caller trusts, and never over a downgrade. */
  #assertMayReceiveCredentials(realm: URL): void {
    const endpoint = this.#options.endpoint;
    const trusted = realm.origin === endpoint.origin || (this.#options.trustedRealmHosts ?? []).includes(realm.host);
    if (!trusted) {
      throw new AuthenticationError(
        `The registry sent its token realm to another host (${realm.host}); list it in the trustedRealmHosts option to send credentials there`,
      );
    }
    if (endpoint.protocol === "https:" && realm.protocol !== "https:") {
      throw new AuthenticationError(`Refusing to send credentials to a plain-http token realm (${realm.host})`);
    }
  }

  /** ACR's token endpoint takes the anonymous POST of the Azure SDKs; other registries take a GET. */
  #isAcrRealm(realm: URL): boolean {
    return realm.origin === this.#options.endpoint.origin && realm.pathname === "/oauth2/token";
  }
}

function cacheKey(service: TokenService, scope: string): string {
  return `${service.realm.href} ${service.service} ${scope}`;
}

function isBasic(credential: RegistryCredential): credential is BasicCredential {
  return (credential as BasicCredential).kind === "basic";
}

function isRefreshToken(credential: RegistryCredential): credential is RefreshTokenCredential {
  return (credential as RefreshTokenCredential).kind === "refreshToken";
}

/** Anything that is not a token credential (an unresolved resolver included) gets anonymous access. */
function isAnonymous(credential: RegistryCredential): credential is Exclude<RegistryCredential, TokenCredential> {
  return (credential as AnonymousCredential).kind === "anonymous" || typeof (credential as TokenCredential).getToken !== "function";
}
