/**
 * Credentials that depend on which registry they are for, looked up when the client first needs one.
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import { raceSignal } from "../utils/abort";
import type { RegistryCredential } from "./credential";

/**
 * Something that knows credentials for many registries (such as `acrkit/node`'s `DockerConfigCredential`) and
 * picks the one for the client's registry. The client calls it once, on the registry's first challenge, with its
 * endpoint; the answer is then used as if it had been given to the client.
 */
export interface RegistryCredentialResolver {
  /** Discriminates credential kinds without `instanceof` across bundles. */
  readonly kind: "resolver";
  /**
   * Returns the credential to use for the registry at `endpoint` (e.g. `https://myregistry.azurecr.io/`): a
   * `BasicCredential`, `RefreshTokenCredential`, `TokenCredential` or `AnonymousCredential`.
   */
  resolveRegistryCredential(endpoint: URL): Promise<RegistryCredential>;
}

/** Whether a credential is a {@link RegistryCredentialResolver}. */
export function isRegistryCredentialResolver(credential: RegistryCredential): credential is RegistryCredentialResolver {
  const candidate = credential as Partial<RegistryCredentialResolver>;
  return candidate.kind === "resolver" && typeof candidate.resolveRegistryCredential === "function";
}

/** Resolutions under way, per resolver and endpoint: concurrent first requests of one client share one. */
const inFlight = new WeakMap<RegistryCredentialResolver, Map<string, Promise<RegistryCredential>>>();

/**
 * Asks the resolver for the registry's credential; a failure becomes an `AuthenticationError` whose cause says why.
 * Concurrent calls for one endpoint share one answer (a resolver may read files or run a credential helper); a
 * later call asks again. A resolver that answers with another resolver is refused (it would never end).
 */
export function resolveRegistryCredential(
  resolver: RegistryCredentialResolver,
  endpoint: URL,
  signal?: AbortSignal,
): Promise<RegistryCredential> {
  let pending = inFlight.get(resolver);
  if (!pending) inFlight.set(resolver, (pending = new Map()));
  const key = endpoint.href;
  let resolution = pending.get(key);
  if (!resolution) {
    const settled = pending;
    // Shared by every waiting caller, so it must not die with one caller's signal.
    resolution = askResolver(resolver, endpoint).finally(() => settled.delete(key));
    pending.set(key, resolution);
  }
  return raceSignal(resolution, signal);
}

async function askResolver(resolver: RegistryCredentialResolver, endpoint: URL): Promise<RegistryCredential> {
  let credential: RegistryCredential;
  try {
    credential = await resolver.resolveRegistryCredential(new URL(endpoint));
  } catch (error) {
    throw new AuthenticationError(`The credential found no usable login for ${endpoint.host}`, undefined, {
      cause: error,
    });
  }
  if (!credential || isRegistryCredentialResolver(credential)) {
    throw new AuthenticationError(`The credential resolver for ${endpoint.host} returned no usable credential`);
  }
  return credential;
}
