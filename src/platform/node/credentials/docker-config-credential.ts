/**
 * @module
 */
import { AnonymousCredential, BasicCredential, type RegistryCredential } from "../../../core/auth/credential";
import { RefreshTokenCredential } from "../../../core/auth/refresh-token-credential";
import type { RegistryCredentialResolver } from "../../../core/auth/registry-credential-resolver";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import {
  type DockerAuthEntry,
  defaultDockerConfigPath,
  lookUpRegistry,
  readDockerConfig,
  registryHostOf,
} from "./docker-config-file";
import { type HelperCredentials, getFromHelper } from "./docker-credential-helper";
import { checkTimeout } from "./run-command";

/** Options of {@link DockerConfigCredential}. */
export interface DockerConfigCredentialOptions {
  /** The config file; default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  configPath?: string;
  /**
   * The registry whose login to use (`myregistry.azurecr.io`, with or without scheme); default the client's
   * registry host. For a client that talks to the registry through a proxy or a different address.
   */
  registry?: string;
  /** Fail with {@link CredentialUnavailableError} when the config has no login for the registry, instead of pulling anonymously. */
  requireCredential?: boolean;
  /** How long a credential helper may take (one may wait for a keychain prompt); default 30 000 ms. */
  helperTimeoutMs?: number;
}

const NAME = "DockerConfigCredential";
/** The user name ACR's refresh tokens go with, in `docker login` and `az acr login`. */
const REFRESH_TOKEN_USER = "00000000-0000-0000-0000-000000000000";
/** The user name a credential helper returns with an identity token instead of a password. */
const HELPER_TOKEN_USER = "<token>";

/**
 * The login that `docker login` or `az acr login` stored for the client's registry, read from docker's
 * `config.json` when the client first needs to authenticate. The file, its credential helpers and its
 * `identitytoken`s are those every registry tool (docker, skopeo, crane, oras, regclient) uses:
 *
 * - `auths[host].identitytoken`: an ACR refresh token (after `az acr login`), used directly in the registry's
 *   refresh-token grant, without any Entra ID call;
 * - `auths[host].auth` (base64 `user:password`) or `username`/`password`: HTTP Basic or the registry's token server;
 * - `credHelpers[host]` or `credsStore`: runs `docker-credential-<name> get` with the host on stdin (a helper
 *   user of `<token>` means the secret is an identity token).
 *
 * Host keys match with or without scheme and path (`https://myregistry.azurecr.io`, `myregistry.azurecr.io`).
 * With no login for the host, the client goes anonymous (or fails, with `requireCredential`).
 *
 * @example
 * ```ts
 * // after `az acr login --name myregistry` or `docker login myregistry.azurecr.io`
 * const client = new ContainerRegistryClient("https://myregistry.azurecr.io", new DockerConfigCredential());
 * ```
 */
export class DockerConfigCredential implements RegistryCredentialResolver {
  /** Discriminates credential kinds without `instanceof` across bundles. */
  readonly kind = "resolver" as const;
  readonly #configPath?: string;
  readonly #registry?: string;
  readonly #requireCredential: boolean;
  readonly #helperTimeoutMs: number;

  /** @param options - config file, registry host, whether a login is required, helper timeout */
  constructor(options: DockerConfigCredentialOptions = {}) {
    for (const key of ["configPath", "registry"] as const) {
      const value = options[key];
      if (value !== undefined && (typeof value !== "string" || value.trim().length === 0)) {
        throw new TypeError(`${NAME} ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
      }
    }
    this.#configPath = options.configPath;
    this.#registry = options.registry === undefined ? undefined : registryHostOf(options.registry);
    this.#requireCredential = options.requireCredential ?? false;
    this.#helperTimeoutMs = checkTimeout(options.helperTimeoutMs, 30_000, NAME);
  }

  /**
   * The credential stored for the registry at `endpoint` (or the `registry` option's): a `RefreshTokenCredential`,
   * a `BasicCredential`, or an `AnonymousCredential` when there is none. The client calls this itself.
   * @throws {@link CredentialUnavailableError} when the config or a helper cannot be read, or no login is stored and one is required
   */
  async resolveRegistryCredential(endpoint: URL): Promise<RegistryCredential> {
    const host = this.#registry ?? endpoint.host.toLowerCase();
    const path = this.#configPath ?? defaultDockerConfigPath();
    const found = lookUpRegistry(await readDockerConfig(path, NAME), host);
    let credential: RegistryCredential | undefined;
    if (found.source === "helper") {
      const fromHelper = await getFromHelper(NAME, found.helper, found.serverAddress, this.#helperTimeoutMs);
      credential = fromHelper && helperCredential(fromHelper);
    } else if (found.source === "auths") {
      credential = entryCredential(found.entry, found.key, path);
    }
    if (credential) return credential;
    if (this.#requireCredential) throw new CredentialUnavailableError(NAME, `${path} has no login for ${host}`);
    return new AnonymousCredential();
  }
}

function helperCredential({ username, secret }: HelperCredentials): RegistryCredential {
  return username === HELPER_TOKEN_USER ? new RefreshTokenCredential(secret) : new BasicCredential(username, secret);
}

/** An `auths` entry as a credential; undefined for an entry that holds nothing (docker writes `{}` next to a credsStore). */
function entryCredential(entry: DockerAuthEntry, key: string, path: string): RegistryCredential | undefined {
  if (typeof entry.identitytoken === "string" && entry.identitytoken.length > 0)
    return new RefreshTokenCredential(entry.identitytoken);
  let username = typeof entry.username === "string" ? entry.username : "";
  let password = typeof entry.password === "string" ? entry.password : "";
  if (typeof entry.auth === "string" && entry.auth.length > 0) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    // The value is never quoted: it is a password.
    if (colon <= 0)
      throw new CredentialUnavailableError(NAME, `the "auth" of ${key} in ${path} is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username) return undefined;
  // `docker login -u 00000000-... -p <refresh token>` (what `az acr login --expose-token` suggests) stores one too.
  return username === REFRESH_TOKEN_USER && password
    ? new RefreshTokenCredential(password)
    : new BasicCredential(username, password);
}
