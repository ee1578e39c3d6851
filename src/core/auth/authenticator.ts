/**
 * Decides what `Authorization` a request carries, learns the registry's challenge, and caches tokens per scope.
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import type { Requester } from "../http/requester";
import { raceSignal } from "../utils/abort";
import { findChallenge, parseChallenges } from "./challenge";
import { mergeScopes } from "./scope";
import type { AnonymousCredential, BasicCredential, RegistryCredential, TokenCredential } from "./credential";
import type { RefreshTokenCredential } from "./refresh-token-credential";
import { isRegistryCredentialResolver, resolveRegistryCredential } from "./registry-credential-resolver";
import { SingleFlightCache, type Expiring } from "./token-cache";
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

/**
 * The `Authorization` a request starts with. `done(answered)` must be called once its first answer is handled (or it
 * failed without one): requests that wait for the registry's challenge to be learned go on then.
 */
export interface Authorization {
  /** The header value, or undefined to send the request without one. */
  authorization: string | undefined;
  /** Lets waiting requests go on; `answered` says whether the registry answered at all. */
  done(answered: boolean): void;
}

const NOTHING_TO_RELEASE = () => undefined;

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
  readonly #requester: Requester;
  readonly #options: AuthenticatorOptions;
  readonly #accessTokens = new SingleFlightCache<string>();
  readonly #refreshTokens = new SingleFlightCache<string>();
  #learned: LearnedScheme | undefined;
  /** Settles when the request that is learning the registry's challenge has its answer. */
  #discovery: Promise<void> | undefined;
  /** The registry answered a request without asking for credentials: requests go on without waiting. */
  #answeredWithoutChallenge = false;

  constructor(credential: RegistryCredential | undefined, requester: Requester, options: AuthenticatorOptions) {
    this.#requester = requester;
    this.#options = options;
    this.#credential = this.#held(credential ?? { kind: "anonymous" });
  }

  /** The credential to use, its password or refresh token added to the secrets that no error may show. */
  #held(credential: RegistryCredential): RegistryCredential {
    if (isBasic(credential)) this.#requester.secrets.add(credential.password);
    if (isRefreshToken(credential)) this.#requester.secrets.add(credential.refreshToken);
    return credential;
  }

  /**
   * The `Authorization` to send up front for `scope`. Until the registry's scheme is known, one request goes without
   * and learns it from the registry's 401, while the others wait for it: a cold client pays one 401, not one per
   * concurrent request.
   */
  async authorize(scope: string, signal?: AbortSignal): Promise<Authorization> {
    for (;;) {
      const learned = this.#learned;
      if (learned?.scheme === "basic") return { authorization: this.#basicHeader(), done: NOTHING_TO_RELEASE };
      if (learned)
        return {
          authorization: `Bearer ${await this.#accessToken(learned.service, scope, scope, signal)}`,
          done: NOTHING_TO_RELEASE,
        };
      if (this.#answeredWithoutChallenge) return { authorization: undefined, done: NOTHING_TO_RELEASE };
      if (!this.#discovery) return { authorization: undefined, done: this.#startDiscovery() };
      await raceSignal(this.#discovery, signal);
    }
  }

  #startDiscovery(): (answered: boolean) => void {
    let release!: () => void;
    this.#discovery = new Promise<void>((resolve) => (release = resolve));
    return (answered) => {
      if (answered && !this.#learned) this.#answeredWithoutChallenge = true;
      // A discovery that got no answer at all is taken over by the next waiting request.
      this.#discovery = undefined;
      release();
    };
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
    if (isRegistryCredentialResolver(credential))
      this.#credential = this.#held(await resolveRegistryCredential(credential, this.#options.endpoint, signal));
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
      return `Bearer ${await this.#accessToken(service, scope, mergeScopes(scope, bearer.params.scope), signal)}`;
    }
    if (findChallenge(header, "basic") || parseChallenges(header).length === 0) {
      const basic = this.#basicHeader();
      if (!basic || sentAuthorization === basic) return undefined;
      this.#learned = { scheme: "basic" };
      return basic;
    }
    return undefined;
  }

  /** The token service the registry's Bearer challenge named, once one was learned. */
  get tokenService(): TokenService | undefined {
    return this.#learned?.scheme === "bearer" ? this.#learned.service : undefined;
  }

  /**
   * The ACR refresh token the client's Entra ID credential is exchanged for at `realm` (a challenge's), shared with the
   * refresh tokens the client's own requests use (acr-refresh-token.ts learns the challenge).
   * @throws {@link AuthenticationError} when the client holds no Entra ID credential, or the exchange is refused
   */
  async acrRefreshToken(realm: string, service: string | undefined, signal?: AbortSignal): Promise<string> {
    const credential = this.#credential;
    if (isBasic(credential) || isRefreshToken(credential) || isAnonymous(credential)) {
      throw new AuthenticationError(
        "An ACR refresh token is exchanged for an Entra ID token: the client needs a TokenCredential",
      );
    }
    const learned: TokenService = { realm: this.#checkedRealm(realm), service: service ?? this.#options.endpoint.host };
    this.#learned ??= { scheme: "bearer", service: learned };
    this.#assertMayReceiveCredentials(learned.realm);
    const load = () => this.#remembered(this.#exchange(credential, learned, ""));
    return await raceSignal(this.#refreshTokens.get(learned.service, load), signal);
  }

  #basicHeader(): string | undefined {
    const credential = this.#credential;
    return isBasic(credential) ? basicAuthorization(credential.username, credential.password) : undefined;
  }

  #accessToken(service: TokenService, cacheScope: string, requestScope: string, signal?: AbortSignal): Promise<string> {
    // The load is shared by every waiting caller, so it must not die with one caller's signal.
    const load = () => this.#remembered(this.#fetchAccessToken(service, requestScope));
    return raceSignal(this.#accessTokens.get(cacheKey(service, cacheScope), load), signal);
  }

  async #fetchAccessToken(service: TokenService, scope: string) {
    const credential = this.#credential;
    const requester = this.#requester;
    if (isBasic(credential)) {
      this.#assertMayReceiveCredentials(service.realm);
      return requestAccessTokenByGet(requester, service, scope, credential);
    }
    if (isRefreshToken(credential)) {
      this.#assertMayReceiveCredentials(service.realm);
      return requestAccessTokenByPost(requester, service, scope, credential.refreshToken);
    }
    if (isAnonymous(credential)) {
      return this.#isAcrRealm(service.realm)
        ? requestAccessTokenByPost(requester, service, scope, undefined)
        : requestAccessTokenByGet(requester, service, scope, undefined);
    }
    this.#assertMayReceiveCredentials(service.realm);
    const refreshToken = await this.#refreshTokens.get(service.service, () =>
      this.#remembered(this.#exchange(credential, service, scope)),
    );
    return requestAccessTokenByPost(requester, service, scope, refreshToken);
  }

  /** Adds a token the client obtained to the secrets that no error may show. */
  async #remembered(loading: Promise<Expiring<string>>): Promise<Expiring<string>> {
    const loaded = await loading;
    this.#requester.secrets.add(loaded.value);
    return loaded;
  }

  async #exchange(credential: TokenCredential, service: TokenService, scope: string) {
    const aadScope = `${this.#options.audience.replace(/\/+$/, "")}/.default`;
    let aad;
    try {
      aad = await credential.getToken(aadScope, { tenantId: this.#options.tenantId });
    } catch (error) {
      throw new AuthenticationError(`The credential could not get a token for ${aadScope}`, aadScope, { cause: error });
    }
    if (!aad?.token) throw new AuthenticationError(`The credential returned no token for ${aadScope}`, aadScope);
    this.#requester.secrets.add(aad.token);
    return exchangeAadToken(this.#requester, service, aad.token, this.#options.tenantId, scope);
  }

  #checkedRealm(realm: string): URL {
    let url: URL;
    try {
      url = new URL(realm, this.#options.endpoint);
    } catch {
      throw new AuthenticationError(
        `The registry's challenge names an invalid realm ${JSON.stringify(realm.slice(0, 100))}`,
      );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new AuthenticationError(
        `The registry's challenge names a realm with an unsupported scheme: ${url.protocol}`,
      );
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
  return (
    (credential as AnonymousCredential).kind === "anonymous" ||
    typeof (credential as TokenCredential).getToken !== "function"
  );
}
