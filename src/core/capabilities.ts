/**
 * What a client learns about its registry as it goes: which optional APIs it serves. Each answer is kept for the
 * life of the client, so a registry without an API costs the one request that showed it, once.
 * @module
 */

/** The optional APIs of a registry: `true` it has it, `false` it has not, absent not known yet. */
export interface RegistryCapabilities {
  /** ACR's metadata API `/acr/v1` (repository, manifest and tag properties, locks, timestamps). */
  acrApi?: boolean;
  /** The OCI 1.1 referrers API `GET /v2/<name>/referrers/<digest>`. */
  referrersApi?: boolean;
}
