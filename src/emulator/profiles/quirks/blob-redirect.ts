/**
 * Quirks of blob reads sent to presigned storage (registry-quirks rows 10, 19, 24, 60).
 *
 * `blobRedirect`: blob GETs answer 307 to a storage origin that refuses `Authorization`.
 * `head403OnSignedRedirect` (rows 43, 60): HEADs are redirected too, to a URL signed for GET, and storage answers
 * them 403 (S3's SignatureDoesNotMatch).
 * @module
 */
import type { Quirk } from "../profile";

/** Blob GETs answer 307 to storage. */
export const blobRedirect: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, blobRedirect: { get: true, head: false, headAllowed: true } },
});

/** Blob GETs and HEADs answer 307 to storage, which refuses the HEAD with 403. */
export const head403OnSignedRedirect: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, blobRedirect: { get: true, head: true, headAllowed: false } },
});
