/**
 * The digest grammar of the OCI image spec: `algorithm:encoded`.
 *
 * Pure functions with no I/O, shared by the client and the emulator.
 * @module
 */

/** Digest algorithms acrkit can verify, with the length of their hex encoding. */
export const DIGEST_ALGORITHMS = { sha256: 64, sha512: 128 } as const;

/** A digest algorithm acrkit can verify. */
export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;

/** A digest split into its parts. */
export interface ParsedDigest {
  /** `sha256` or `sha512`. */
  algorithm: DigestAlgorithm;
  /** The lowercase hex after the colon. */
  hex: string;
}

const DIGEST_PATTERN = /^(sha256|sha512):([a-f0-9]+)$/;

/** Parses `sha256:<64 hex>` or `sha512:<128 hex>`; returns undefined for anything else. */
export function parseDigest(value: unknown): ParsedDigest | undefined {
  if (typeof value !== "string") return undefined;
  const match = DIGEST_PATTERN.exec(value);
  if (!match) return undefined;
  const algorithm = match[1] as DigestAlgorithm;
  const hex = match[2]!;
  return hex.length === DIGEST_ALGORITHMS[algorithm] ? { algorithm, hex } : undefined;
}

/** True when the value is a well-formed digest acrkit can verify. */
export function isDigest(value: unknown): value is string {
  return parseDigest(value) !== undefined;
}

/** True when the reference has the shape of a digest (`alg:encoded`), valid or not. */
export function looksLikeDigest(reference: string): boolean {
  return reference.includes(":");
}

/** Formats a digest from its algorithm and lowercase hex. */
export function formatDigest(algorithm: DigestAlgorithm, hex: string): string {
  return `${algorithm}:${hex}`;
}
