/**
 * The `nexus` profile: Sonatype Nexus Repository.
 *
 * - a manifest PUT without `Content-Length` gets 411 `MANIFEST_INVALID` (registry-quirks row 48);
 * - no referrers API; no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { manifestNeedsLength } from "./quirks/manifest-needs-length";
import { noAcrApi } from "./quirks/no-acr-api";
import { noReferrers } from "./quirks/no-referrers";
import { tokenByGet } from "./quirks/token-by-get";

/** The Nexus profile. */
export const nexus = compose("nexus", acr, noAcrApi, tokenByGet, manifestNeedsLength, noReferrers);
