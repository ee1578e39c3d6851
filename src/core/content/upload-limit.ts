/**
 * Reads a request-size limit out of a registry's refusal, e.g. GHCR's "…exceeds the maximum permissible limit of
 * 4.00MiB" (registry-quirks row 13), so the client learns it in one try instead of halving toward it.
 * @module
 */

const UNITS: Readonly<Record<string, number>> = {
  bytes: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

const SIZE = /\b(\d+(?:\.\d+)?)\s*(bytes|kib|mib|gib|kb|mb|gb)\b/i;

/**
 * The first size (`4.00MiB`, `20000000 bytes`, `100 MB`) in `text`, in bytes; undefined when there is none. Only the
 * registry's own words go in: a URL's opaque `_state` or session id may hold such letters after digits.
 */
export function sizeLimitIn(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
