/**
 * How tests launch Chromium: Debian's binary (Playwright's own browser downloads do not work here) with the
 * flags that keep Chromium off the network in a sandbox without one. Playwright adds --headless and a fresh profile itself, so neither is listed.
 * @module
 */

/** The Chromium binary; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for a quiet, sandbox-free headless Chromium in a container. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
