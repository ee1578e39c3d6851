/**
 * Quirk (registry-quirks row 2, ECR): every chunk but the last must be at least 5 MiB, advertised by
 * `OCI-Chunk-Min-Length` on the POST; a request adding bytes after a shorter one gets 400 `SIZE_INVALID`.
 * @module
 */
import type { Quirk } from "../profile";

/** ECR's S3 multipart part size: every chunk but the last must be at least this long. */
export const CHUNK_MIN_LENGTH = 5 * 1024 * 1024;

/** Chunks below {@link CHUNK_MIN_LENGTH} must be the last. */
export const chunkMin: Quirk = (profile) => ({
  ...profile,
  uploads: {
    ...profile.uploads,
    openHeaders: { ...profile.uploads.openHeaders, "OCI-Chunk-Min-Length": String(CHUNK_MIN_LENGTH) },
    refuseChunk: (session, size) =>
      session.writes === 0 || session.lastWrite >= CHUNK_MIN_LENGTH
        ? profile.uploads.refuseChunk(session, size)
        : {
            status: 400,
            code: "SIZE_INVALID",
            message: `the previous chunk of ${session.lastWrite} bytes was shorter than ${CHUNK_MIN_LENGTH} bytes, so it had to be the last`,
          },
  },
});
