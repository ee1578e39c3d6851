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
  resolveRegistryCredential(endpoint: URL, options?: { abortSignal?: AbortSignal }): Promise<RegistryCredential>;
}

/** Whether a credential is a {@link RegistryCredentialResolver}. */
export function isRegistryCredentialResolver(credential: RegistryCredential): credential is RegistryCredentialResolver {
  const candidate = credential as Partial<RegistryCredentialResolver>;
  return candidate.kind === "resolver" && typeof candidate.resolveRegistryCredential === "function";
}

/**
 * Asks the resolver for the registry's credential; a failure becomes an `AuthenticationError` whose cause says why.
 * A resolver that answers with another resolver is refused (it would never end).
 */
export async function resolveRegistryCredential(resolver: RegistryCredentialResolver, endpoint: URL, signal?: AbortSignal): Promise<RegistryCredential> {
  let credential: RegistryCredential;
  try {
    credential = await raceSignal(resolver.resolveRegistryCredential(new URL(endpoint), { abortSignal: signal }), signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new AuthenticationError(`The credential found no usable login for ${endpoint.host}`, undefined, { cause: error });
  }
  if (!credential || isRegistryCredentialResolver(credential)) {
    throw new AuthenticationError(`The credential resolver for ${endpoint.host} returned no usable credential`);
  }
  return credential;
}
