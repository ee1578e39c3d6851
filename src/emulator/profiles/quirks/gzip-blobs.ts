/**
 * Quirk (registry-quirks rows 34, 61, registry.access.redhat.com): blob GETs are gzip-encoded when the request
 * accepts gzip, so `Content-Length` is the encoded length, not the blob's.
 * @module
 */
import type { Quirk } from "../profile";

/** Blob GETs answer `Content-Encoding: gzip` to a request that accepts it. */
export const gzipBlobs: Quirk = (profile) => ({ ...profile, answers: { ...profile.answers, gzipBlobs: true } });
