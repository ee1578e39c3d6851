/**
 * Quirk (registry-quirks row 48, Nexus 3.95): a manifest PUT without `Content-Length` (chunked) gets 411
 * `MANIFEST_INVALID` "manifest upload requires Content-Length".
 * @module
 */
import type { Quirk } from "../profile";

/** Manifest PUTs must carry Content-Length. */
export const manifestNeedsLength: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, manifestNeedsLength: true },
});
