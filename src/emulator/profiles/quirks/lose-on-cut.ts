/**
 * Quirk (registry-quirks row 52, distribution 2.8): a PATCH whose body is cut off loses the session, and every
 * request must carry the latest `_state`: later requests on it answer 404 `BLOB_UPLOAD_INVALID`.
 * @module
 */
import type { Quirk } from "../profile";

/** A cut-off body loses its session; `_state` is required on every request. */
export const loseOnCut: Quirk = (profile) => ({
  ...profile,
  uploads: { ...profile.uploads, interrupted: "lose", stateRequired: true },
});
