/**
 * Quirk (registry-quirks row 44, Gitea): a PATCH without `Content-Range` after the first write gets 400
 * `BLOB_UPLOAD_INVALID` "Stream uploads after first write are not allowed".
 * @module
 */
import type { Quirk } from "../profile";

/** A second PATCH must carry Content-Range. */
export const contentRangeAfterFirst: Quirk = (profile) => ({
  ...profile,
  uploads: { ...profile.uploads, contentRangeAfterFirst: true },
});
