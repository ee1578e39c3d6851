/**
 * The `gitlab` profile: GitLab's container registry.
 *
 * - no referrers API, and the fallback tag `sha256-<hex>` resolves to the subject `sha256:<hex>` (registry-quirks
 *   row 42);
 * - `_catalog` is for administrators only: 401; blob HEADs and GETs are redirected to storage signed for GET, which
 *   answers the HEAD 403 (row 43, GitLab Dedicated; row 60);
 * - no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { head403OnSignedRedirect } from "./quirks/blob-redirect";
import { dashTagsResolve } from "./quirks/dash-tags-resolve";
import { noAcrApi } from "./quirks/no-acr-api";
import { noCatalog } from "./quirks/no-catalog";
import { noReferrers } from "./quirks/no-referrers";
import { tokenByGet } from "./quirks/token-by-get";

/** The GitLab profile. */
export const gitlab = compose(
  "gitlab",
  acr,
  noAcrApi,
  tokenByGet,
  noReferrers,
  dashTagsResolve,
  noCatalog("admin-only"),
  head403OnSignedRedirect,
);
