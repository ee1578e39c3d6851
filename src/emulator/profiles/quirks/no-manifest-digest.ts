/**
 * Quirk (registry-quirks rows 6, 61, ECR): manifest GETs carry no `Docker-Content-Digest` (HEAD still does).
 * @module
 */
import type { Quirk } from "../profile";

/** Manifest GETs lack `Docker-Content-Digest`. */
export const noManifestDigest: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, manifestDigestOnGet: false },
});
