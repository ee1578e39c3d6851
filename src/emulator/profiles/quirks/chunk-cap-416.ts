/**
 * Quirk (registry-quirks row 13, GHCR): a PATCH with `Content-Range` over 4 MiB gets 416
 * `REQUESTED_RANGE_NOT_SATISFIABLE` "…exceeds the maximum permissible limit of 4.00MiB", from the first chunk on.
 * @module
 */
import { ociRefusal, type Quirk } from "../profile";

/** GHCR's chunk limit. */
export const GHCR_CHUNK_CAP = 4 * 1024 * 1024;

/** Content-Range chunks over {@link GHCR_CHUNK_CAP} answer 416 with GHCR's message. */
export const chunkCap416: Quirk = (profile) => ({
  ...profile,
  uploads: {
    ...profile.uploads,
    chunkCap: {
      bytes: GHCR_CHUNK_CAP,
      refusal: ociRefusal(
        416,
        "REQUESTED_RANGE_NOT_SATISFIABLE",
        "the request body is too large and exceeds the maximum permissible limit of 4.00MiB",
      ),
    },
  },
});
