/**
 * The `ghcr` profile: GitHub Container Registry (ghcr.io).
 *
 * - a PATCH with `Content-Range` over 4 MiB gets 416 `REQUESTED_RANGE_NOT_SATISFIABLE` "…limit of 4.00MiB", from the
 *   first chunk (registry-quirks row 13);
 * - no referrers API (row 15); manifest DELETE gets 405 `UNSUPPORTED` (row 16), by tag too;
 * - tags/list pages of 100 by default; no `_catalog`, 404 (row 17);
 * - no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { chunkCap416 } from "./quirks/chunk-cap-416";
import { noAcrApi } from "./quirks/no-acr-api";
import { noCatalog } from "./quirks/no-catalog";
import { noManifestDelete } from "./quirks/no-manifest-delete";
import { noReferrers } from "./quirks/no-referrers";
import { noTagDelete } from "./quirks/no-tag-delete";
import { tagPageSize } from "./quirks/tag-paging";
import { tokenByGet } from "./quirks/token-by-get";

/** The GHCR profile. */
export const ghcr = compose(
  "ghcr",
  acr,
  noAcrApi,
  tokenByGet,
  chunkCap416,
  noReferrers,
  noManifestDelete,
  noTagDelete(405),
  tagPageSize(100),
  noCatalog("absent"),
);
