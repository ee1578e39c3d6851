/**
 * The `docker-hub` profile: Docker Hub (registry-1.docker.io).
 *
 * - manifest GETs count against the rate limit, HEADs and blobs do not (registry-quirks row 18; set the limit with
 *   the emulator's `rateLimit` option: 429 `TOOMANYREQUESTS` with `Retry-After`);
 * - blob GETs answer 307 to a CDN that refuses `Authorization` (row 19);
 * - a mount whose `from` has more than two segments gets 400 `{"details":"invalid repository name"}` (row 20);
 * - manifest DELETE gets 405, by digest and by tag; no `_catalog`, 404 (row 21);
 * - no referrers API (row 59); no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { blobRedirect } from "./quirks/blob-redirect";
import { mountRefusesForeignPath } from "./quirks/mount-answers";
import { noAcrApi } from "./quirks/no-acr-api";
import { noCatalog } from "./quirks/no-catalog";
import { noManifestDelete } from "./quirks/no-manifest-delete";
import { noReferrers } from "./quirks/no-referrers";
import { noTagDelete } from "./quirks/no-tag-delete";
import { manifestGetsCounted } from "./quirks/rate-limit";
import { tokenByGet } from "./quirks/token-by-get";

/** The Docker Hub profile. */
export const dockerHub = compose(
  "docker-hub",
  acr,
  noAcrApi,
  tokenByGet,
  manifestGetsCounted,
  blobRedirect,
  mountRefusesForeignPath,
  noManifestDelete,
  noTagDelete(405),
  noCatalog("absent"),
  noReferrers,
);
