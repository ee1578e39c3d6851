/**
 * Reading references from the command line into what the library takes: a registry host, a repository, a tag or
 * digest; mistakes are usage errors, before any request.
 * @module
 */
import { parseImageReference, type OciLayoutImageReference, type RegistryImageReference } from "acrkit";
import { UsageError } from "./exit-codes";

/** A reference with a repository. */
export type RepositoryReference = RegistryImageReference & { repository: string };

/** Parses a reference; a grammar mistake becomes a usage error naming the value. */
export function parseReference(text: string): RegistryImageReference | OciLayoutImageReference {
  try {
    return parseImageReference(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A registry reference with a repository (and, with `needsReference`, a tag or digest). */
export function repositoryReference(text: string, needsReference: boolean): RepositoryReference {
  const parsed = parseReference(text);
  if (parsed.kind !== "registry")
    throw new UsageError(`${JSON.stringify(text)}: this command takes a registry reference, not an OCI layout`);
  if (parsed.repository === undefined)
    throw new UsageError(`${JSON.stringify(text)} names no repository: write HOST/REPO${needsReference ? ":TAG" : ""}`);
  if (needsReference && parsed.tag === undefined && parsed.digest === undefined) {
    throw new UsageError(`${JSON.stringify(text)} names no tag or digest: write HOST/REPO:TAG or HOST/REPO@sha256:…`);
  }
  return parsed as RepositoryReference;
}

/** The tag or digest a reference names (the digest when both are written). */
export function refOf(reference: RegistryImageReference): string {
  return reference.digest ?? reference.tag ?? "latest";
}

const DURATION = /^([0-9]+)(m|h|d|w|y)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 } as const;
/** The longest --older-than: beyond it a value is a typo, not a retention rule. */
const MAX_DURATION_MS = 100 * UNIT_MS.y;

/** Parses `30d`, `12h`, `90m`, `2w`, `1y` into milliseconds; refuses 0 and more than 100 years. */
export function parseDuration(text: string, option: string): number {
  const match = DURATION.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms > 0 && ms <= MAX_DURATION_MS))
    throw new UsageError(
      `--${option} must be a duration such as 30d, 12h, 90m, 2w or 1y, above 0 and at most 100y, got ${JSON.stringify(text)}`,
    );
  return ms;
}

/** Compiles a --include/--exclude/--filter regular expression, anchored whole. */
export function compilePattern(text: string, option: string): RegExp {
  try {
    return new RegExp(`^(?:${text})$`);
  } catch {
    throw new UsageError(`--${option} ${JSON.stringify(text)} is not a valid regular expression`);
  }
}
