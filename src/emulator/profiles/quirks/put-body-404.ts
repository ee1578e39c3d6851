/**
 * Quirk (registry-quirks row 46, Artifactory 2019–2020): a POST followed by a monolithic PUT with the whole blob
 * gets 404 `BLOB_UNKNOWN`, while POST, PATCH, PUT works.
 * @module
 */
import { ociRefusal, type Quirk } from "../profile";

/** A PUT carrying bytes into a session without earlier writes answers 404 BLOB_UNKNOWN. */
export const putBody404: Quirk = (profile) => ({
  ...profile,
  uploads: { ...profile.uploads, bodyOnlyPut: ociRefusal(404, "BLOB_UNKNOWN", "blob unknown to registry") },
});
