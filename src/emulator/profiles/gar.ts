/**
 * The `gar` profile: Google Artifact Registry (and gcr.io).
 *
 * - tags/list answers carry the non-standard `child` and `manifest` fields (registry-quirks row 28);
 * - every request counts against the rate limit (row 29; set the limit with the emulator's `rateLimit` option);
 * - no referrers API; no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { noAcrApi } from "./quirks/no-acr-api";
import { noReferrers } from "./quirks/no-referrers";
import { tagsExtraFields } from "./quirks/tag-paging";
import { tokenByGet } from "./quirks/token-by-get";

/** The GAR profile. */
export const gar = compose("gar", acr, noAcrApi, tokenByGet, tagsExtraFields, noReferrers);
