/**
 * The `harbor` profile: Harbor behind its nginx.
 *
 * - a mount whose `from` names a project that does not exist gets 401 "project X not found" (registry-quirks row 35);
 * - answers set `sid` and `_gorilla_csrf` cookies; a write sending them back gets 403 (row 36);
 * - `_catalog` is for administrators only: 401 (row 37);
 * - nginx in front answers a body over 1 MiB with 413, an HTML page and `Connection: close` (rows 38, 57);
 * - no `/acr/v1`; tokens by GET only (row 63).
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { csrfCookies } from "./quirks/csrf-cookies";
import { mountRefusesUnknownProject } from "./quirks/mount-answers";
import { noAcrApi } from "./quirks/no-acr-api";
import { noCatalog } from "./quirks/no-catalog";
import { proxyLimit } from "./quirks/put-limit";
import { tokenByGet } from "./quirks/token-by-get";

/** nginx's default `client_max_body_size`, as in front of Harbor (registry-quirks row 57). */
export const NGINX_BODY_LIMIT = 1024 * 1024;

/** The Harbor profile. */
export const harbor = compose(
  "harbor",
  acr,
  noAcrApi,
  tokenByGet,
  mountRefusesUnknownProject,
  csrfCookies,
  noCatalog("admin-only"),
  proxyLimit(NGINX_BODY_LIMIT),
);
