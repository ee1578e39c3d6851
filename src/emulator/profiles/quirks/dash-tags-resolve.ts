/**
 * Quirk (registry-quirks row 42, GitLab): the referrers fallback tag `sha256-<hex>`, when no such tag exists,
 * resolves to the manifest `sha256:<hex>` itself, so a naive fallback takes the subject for its referrers index.
 * @module
 */
import type { Quirk } from "../profile";

/** An absent `sha256-<hex>` tag resolves to the digest. */
export const dashTagsResolve: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, dashTagsResolve: true },
});
