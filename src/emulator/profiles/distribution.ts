/**
 * The `distribution` profile: the CNCF distribution registry (docker-registry 2.8 and 3.x).
 *
 * - a PATCH cut off mid-body loses the session, and every upload request must carry the latest `_state`; else 404
 *   `BLOB_UPLOAD_INVALID` (registry-quirks row 52);
 * - a manifest DELETE by tag gets 400 `DIGEST_INVALID` (row 53);
 * - tags/list `n` over 1000 gets 400 `PAGINATION_NUMBER_INVALID` (row 54, 3.1);
 * - no referrers API: a plain-text 404 (row 54);
 * - no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { loseOnCut } from "./quirks/lose-on-cut";
import { noAcrApi } from "./quirks/no-acr-api";
import { noReferrers } from "./quirks/no-referrers";
import { noTagDelete } from "./quirks/no-tag-delete";
import { tagPageLimit } from "./quirks/tag-paging";
import { tokenByGet } from "./quirks/token-by-get";

/** The distribution profile. */
export const distribution = compose(
  "distribution",
  acr,
  noAcrApi,
  tokenByGet,
  loseOnCut,
  noTagDelete(400),
  tagPageLimit("PAGINATION_NUMBER_INVALID"),
  noReferrers,
);
