/**
 * Quirks of which requests count against a rate limit (the limit itself, requests per second, is the emulator's
 * `rateLimit` option; over it the answer is 429 `TOOMANYREQUESTS` with `Retry-After`).
 *
 * - `manifestGetsCounted` (registry-quirks row 18, Docker Hub): each manifest GET counts; HEAD and blobs do not.
 * - every request counts otherwise (row 29, GAR), the default.
 * @module
 */
import type { Quirk } from "../profile";

/** Only manifest GETs count against the rate limit. */
export const manifestGetsCounted: Quirk = (profile) => ({
  ...profile,
  answers: {
    ...profile.answers,
    rateCounted: (method, path) => method === "GET" && /^\/v2\/.+\/manifests\/[^/]+$/.test(path),
  },
});
