/**
 * The `quay` profile: Quay.io and Red Hat's registries.
 *
 * - the POST opening a session answers `Range: bytes=0--1` (registry-quirks rows 30, 62);
 * - tags/list pages of 50 by default (row 31);
 * - the referrers API exists (row 33, Quay 3.12);
 * - blob GETs are gzip-encoded when the request accepts gzip (row 34, registry.access.redhat.com);
 * - no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { gzipBlobs } from "./quirks/gzip-blobs";
import { noAcrApi } from "./quirks/no-acr-api";
import { tagPageSize } from "./quirks/tag-paging";
import { tokenByGet } from "./quirks/token-by-get";
import { openRange } from "./quirks/upload-range-forms";

/** The Quay profile. */
export const quay = compose("quay", acr, noAcrApi, tokenByGet, openRange("bytes=0--1"), tagPageSize(50), gzipBlobs);
