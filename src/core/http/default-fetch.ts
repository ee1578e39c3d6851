/**
 * Which fetch clients send on when their options name none. A platform entry point (acrkit/node on Node) installs a
 * leaner one on import (bench/README, "The metadata path"); a caller's `fetch` option always wins over it.
 * @module
 */

/**
 * A fetch a platform installs as the default: called as `fetch` is, with a URL and an init (no Request is built for
 * an attempt), or with a Request alone behind the logging and Warning wrappers.
 */
export type PlatformFetch = (input: URL | Request, init?: RequestInit) => Promise<Response>;

let installed: PlatformFetch | undefined;

/** The fetch a platform installed, or undefined: clients then send on the runtime's own. */
export function installedFetch(): PlatformFetch | undefined {
  return installed;
}

/** The fetch clients send on by default: the installed one, else the runtime's own, looked up on every call. */
export function getDefaultFetch(): PlatformFetch {
  return installed ?? ((input, init) => globalThis.fetch(input, init));
}

/** Replaces the default fetch (undefined restores the runtime's own); platform entry points call this once on import. */
export function setDefaultFetch(fetch: PlatformFetch | undefined): void {
  installed = fetch;
}
