/**
 * The `artifactory` profile: JFrog Artifactory.
 *
 * - a POST followed by a monolithic PUT with the whole blob gets 404 `BLOB_UNKNOWN`; POST, PATCH, PUT works
 *   (registry-quirks row 46);
 * - the referrers API exists (row 47, since 7.90.1); blob GETs redirect to storage (rows 47, 60);
 * - no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { blobRedirect } from "./quirks/blob-redirect";
import { noAcrApi } from "./quirks/no-acr-api";
import { putBody404 } from "./quirks/put-body-404";
import { tokenByGet } from "./quirks/token-by-get";

/** The Artifactory profile. */
export const artifactory = compose("artifactory", acr, noAcrApi, tokenByGet, putBody404, blobRedirect);
