/**
 * The `zot` profile: project-zot.
 *
 * - blob GETs ignore `Range` and answer 200 with the whole blob (registry-quirks row 51, before 2022);
 * - the POST opening a session answers `Range: 0--1` (rows 50, 62);
 * - the referrers API exists; no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { noAcrApi } from "./quirks/no-acr-api";
import { rangeIgnored } from "./quirks/range-ignored";
import { tokenByGet } from "./quirks/token-by-get";
import { openRange } from "./quirks/upload-range-forms";

/** The zot profile. */
export const zot = compose("zot", acr, noAcrApi, tokenByGet, rangeIgnored, openRange("0--1"));
