/**
 * GET /v2/<name>/referrers/<digest>[?artifactType=]: the OCI 1.1 referrers API.
 * @module
 */
import { isDigest } from "../../core/grammar/digest";
import { repositoryAccess, type Context, type Endpoint } from "../context";
import { digestInvalid } from "../errors";
import { json } from "../http";
import type { Descriptor } from "../manifest";
import { MediaType } from "../media-types";
import { refusalResponse } from "../profiles/refusal-response";

function referrers(ctx: Context): Response {
  const refusal = ctx.env.options.profile.endpoints.referrers;
  if (refusal) return refusalResponse(refusal);
  const { name, digest } = ctx.params as { name: string; digest: string };
  if (!isDigest(digest)) return digestInvalid("invalid digest", digest);
  const repository = ctx.env.registry.repository(name);
  const filter = ctx.url.searchParams.get("artifactType");
  // An unknown subject (or repository) is an empty index, never a 404: a 404 tells clients the API is missing.
  const descriptors: Descriptor[] = (repository ? ctx.env.registry.referrers(repository, digest) : [])
    .map((record) => {
      const artifactType = record.info.artifactType ?? record.info.config?.mediaType;
      return {
        mediaType: record.info.mediaType,
        digest: record.digest,
        size: record.bytes.byteLength,
        ...(artifactType === undefined ? {} : { artifactType }),
        ...(record.info.annotations ? { annotations: record.info.annotations } : {}),
      };
    })
    .filter((descriptor) => filter === null || descriptor.artifactType === filter)
    .sort((a, b) => (a.digest < b.digest ? -1 : 1));
  const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: descriptors };
  const response = json(index, 200, filter === null ? {} : { "OCI-Filters-Applied": "artifactType" });
  response.headers.set("Content-Type", MediaType.ociIndex);
  return response;
}

/** The referrers endpoint. */
export const referrersEndpoints: Endpoint[] = [
  {
    pattern: /^\/v2\/(?<name>.+)\/referrers\/(?<digest>[^/]+)$/,
    methods: { GET: { access: repositoryAccess("pull"), handle: referrers } },
  },
];
