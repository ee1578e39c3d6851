/**
 * Which fetch clients send on when their options name none. A platform entry point (acrkit/node on Node) installs a
 * leaner one on import (bench/README, "The metadata path"); a caller's `fetch` option always wins over it.
 * @module
 */

/**
 * A fetch a platform installs as the default: called as `fetch` is, with a URL and an init (no Request is built for
 * an attempt), or with a Request and the init it was built from (the logging and Warning wrappers see a Request).
 */
export type PlatformFetch = (input: URL | Request, init?: RequestInit) => Promise<Response>;

/** The runtime's own fetch, looked up on every call so that a fetch replaced after a client was made is the one used. */
const globalFetch: PlatformFetch = (input, init) => globalThis.fetch(input, init);

let defaultFetch: PlatformFetch = globalFetch;

/** The fetch clients send on by default. */
export function getDefaultFetch(): PlatformFetch {
  return defaultFetch;
}

/** Whether a platform installed its own default (else clients send on the runtime's fetch). */
export function hasPlatformFetch(): boolean {
  return defaultFetch !== globalFetch;
}

/** Replaces the default fetch (undefined restores the runtime's own); platform entry points call this once on import. */
export function setDefaultFetch(fetch: PlatformFetch | undefined): void {
  defaultFetch = fetch ?? globalFetch;
}
