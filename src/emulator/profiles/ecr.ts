/**
 * The `ecr` profile: Amazon Elastic Container Registry.
 *
 * - an accepted PATCH answers 201, not 202 (registry-quirks row 1);
 * - every chunk but the last must be at least 5 MiB, `OCI-Chunk-Min-Length` on the POST (row 2);
 * - after the second PATCH the `Range` of PATCH answers stops advancing (row 3);
 * - manifest GETs carry no `Docker-Content-Digest` (row 6);
 * - tags/list `n` over 1000 gets 400 `UNSUPPORTED`; pages of 100 with an absolute `Link` (row 8);
 * - blob GETs answer 307 to presigned storage that refuses `Authorization` (row 10);
 * - the challenge is `Basic` (row 11);
 * - a mount answers 202 with an upload session (row 12);
 * - no `/acr/v1`.
 * @module
 */
import { acr } from "./acr";
import { compose } from "./profile";
import { basicChallenge } from "./quirks/basic-challenge";
import { blobRedirect } from "./quirks/blob-redirect";
import { chunkMin } from "./quirks/chunk-min";
import { mountOpensSession } from "./quirks/mount-answers";
import { noAcrApi } from "./quirks/no-acr-api";
import { noManifestDigest } from "./quirks/no-manifest-digest";
import { patch201 } from "./quirks/patch-201";
import { rangeStalls } from "./quirks/range-stalls";
import { absoluteLinks, tagPageLimit, tagPageSize } from "./quirks/tag-paging";

/** The ECR profile. */
export const ecr = compose(
  "ecr",
  acr,
  noAcrApi,
  patch201,
  chunkMin,
  rangeStalls,
  noManifestDigest,
  tagPageLimit("UNSUPPORTED"),
  tagPageSize(100),
  absoluteLinks,
  blobRedirect,
  basicChallenge,
  mountOpensSession,
);
