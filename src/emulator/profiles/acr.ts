/**
 * The `acr` profile (the default): Azure Container Registry as it answers a client that stays within its limits.
 *
 * Every other profile is this one changed by quirks. What a client meets here:
 * - any number of PATCH chunks of any size, 202 with a truthful `Range`; a PATCH cut off mid-body keeps the bytes that
 *   arrived, so a client resumes from the `Range` of `GET` on the upload URL; no limit on one request's body;
 * - the bare `start-end` Content-Range and the RFC 9110 `bytes start-end/total` form alike (registry-quirks row 22
 *   says real ACR takes only the bare one; acrkit sends it);
 * - `/acr/v1`, `/oauth2/exchange` and `/oauth2/token` (POST and GET) with ACR's Bearer challenges;
 * - `_catalog`, the referrers API, tag deletion (OCI 1.1) and mounts between repositories the token may pull from.
 * @module
 */
import { ociRefusal, type RegistryProfile } from "./profile";

/** The ACR profile, and the base every other profile starts from. */
export const acr: RegistryProfile = {
  name: "acr",
  endpoints: { acrApi: true, catalog: undefined, referrers: undefined },
  auth: { scheme: "Bearer", tokenPost: true, tokenExpiresIn: true, csrfCookies: false },
  uploads: {
    openHeaders: {},
    openRange: "0-0",
    maxRequestBytes: Number.POSITIVE_INFINITY,
    tooLarge: ociRefusal(413, "SIZE_INVALID", "the request body is too large"),
    chunkCap: undefined,
    chunkStatus: 202,
    rangeStallsAfter: undefined,
    contentRangeAfterFirst: false,
    bodyOnlyPut: undefined,
    interrupted: "keep",
    stateRequired: false,
    refuseChunk: () => undefined,
  },
  answers: {
    manifestDigestOnGet: true,
    manifestNeedsLength: false,
    manifestDelete: undefined,
    tagDelete: undefined,
    dashTagsResolve: false,
    tagsPageSize: undefined,
    tagsMaxN: undefined,
    absoluteLinks: false,
    tagsExtraFields: false,
    mount: () => "link",
    blobRedirect: undefined,
    gzipBlobs: false,
    rangeIgnored: false,
    rateCounted: () => true,
  },
};
