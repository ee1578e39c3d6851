/**
 * The `gitea` profile: Gitea and Forgejo.
 *
 * - a PATCH without `Content-Range` after the first write gets 400 `BLOB_UPLOAD_INVALID` (registry-quirks row 44);
 * - the token answer is only `{"token": …}`, without `expires_in` (row 45);
 * - no referrers API; no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { contentRangeAfterFirst } from "./quirks/content-range-after-first";
import { noAcrApi } from "./quirks/no-acr-api";
import { noReferrers } from "./quirks/no-referrers";
import { tokenByGet } from "./quirks/token-by-get";
import { tokenWithoutExpiry } from "./quirks/token-without-expiry";

/** The Gitea profile. */
export const gitea = compose(
  "gitea",
  acr,
  noAcrApi,
  tokenByGet,
  contentRangeAfterFirst,
  tokenWithoutExpiry,
  noReferrers,
);
