/**
 * Quirk: the blob's bytes in one request only; a second request with bytes gets 416 `BLOB_UPLOAD_INVALID`.
 *
 * One PATCH, or the body of the closing PUT, or a single POST with `?digest=`, carries the data; the session stays
 * usable for a PUT without a body. (The behaviour name of 2026-12, kept for tests that want it alone.)
 * @module
 */
import type { Quirk } from "../profile";

/** A second request with body bytes in one session answers 416. */
export const singleRequest: Quirk = (profile) => ({
  ...profile,
  uploads: {
    ...profile.uploads,
    refuseChunk: (session) =>
      session.writes === 0
        ? undefined
        : {
            status: 416,
            code: "BLOB_UPLOAD_INVALID",
            message: "this registry takes the blob's bytes in one request only",
          },
  },
});
