/**
 * GET, HEAD, PUT and DELETE of /v2/<name>/manifests/<tag-or-digest>.
 *
 * Manifests are stored as the exact bytes received and served with the media type they were pushed with.
 * @module
 */
import { isDigest, looksLikeDigest, parseDigest } from "../../core/grammar/digest";
import { isTag } from "../../core/grammar/reference";
import { repositoryAccess, type Context, type Endpoint } from "../context";
import { denied, digestInvalid, errorResponse, manifestUnknown, nameUnknown } from "../errors";
import { digestChunks } from "../hashing";
import { BodyTooLargeError, empty, parseJsonObject, readLimited } from "../http";
import { inspectManifest } from "../manifest";
import { acceptsMediaType } from "../media-types";
import { allowedBy } from "../policy";
import { refusalResponse } from "../profiles/refusal-response";
import type { RepositoryRecord } from "../state";

/** The largest manifest accepted; OCI asks registries to take at least 4 MB, and ACR's limit is 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** 400 unless the reference is a valid tag or a valid digest. */
function referenceError(reference: string): Response | undefined {
  if (looksLikeDigest(reference)) return isDigest(reference) ? undefined : digestInvalid("invalid digest", reference);
  return isTag(reference) ? undefined : errorResponse(400, "TAG_INVALID", "invalid tag", { Tag: reference });
}

function tooLarge(): Response {
  return errorResponse(413, "MANIFEST_INVALID", "manifest exceeds the 4 MiB limit", { limit: MAX_MANIFEST_BYTES });
}

/** Runs the handler on an existing repository once the reference is known to be a valid tag or digest. */
function withReference(
  handler: (ctx: Context, repository: RepositoryRecord, reference: string) => Response,
): (ctx: Context) => Response {
  return (ctx) => {
    const { name, reference } = ctx.params as { name: string; reference: string };
    const repository = ctx.env.registry.repository(name);
    return referenceError(reference) ?? (repository ? handler(ctx, repository, reference) : nameUnknown(name));
  };
}

/** GitLab resolves an absent `sha256-<hex>` tag to the manifest `sha256:<hex>` (registry-quirks row 42). */
function dashTagDigest(ctx: Context, repository: RepositoryRecord, reference: string): string | undefined {
  if (!ctx.env.options.profile.answers.dashTagsResolve || repository.tags.has(reference)) return undefined;
  const match = /^(sha256)-([a-f0-9]{64})$/.exec(reference);
  return match ? `${match[1]}:${match[2]}` : undefined;
}

const getManifest = withReference((ctx, repository, reference) => {
  const record = ctx.env.registry.resolve(repository, dashTagDigest(ctx, repository, reference) ?? reference);
  const byTag = !isDigest(reference);
  if (!record) return manifestUnknown(reference, byTag);
  const tag = byTag ? repository.tags.get(reference) : undefined;
  if (!allowedBy("readEnabled", repository, record, tag)) return denied();
  const { mediaType } = record.info;
  if (!acceptsMediaType(ctx.request.headers.get("accept"), mediaType)) {
    return errorResponse(
      404,
      "MANIFEST_UNKNOWN",
      `manifest of type ${mediaType} found, but the Accept header does not allow it`,
      {
        [byTag ? "Tag" : "Digest"]: reference,
      },
    );
  }
  const headers: Record<string, string> = {
    "Content-Type": mediaType,
    "Content-Length": String(record.bytes.byteLength),
    "Docker-Content-Digest": record.digest,
    ETag: `"${record.digest}"`,
  };
  // ECR's GET carries no digest header; its HEAD does (registry-quirks row 6).
  if (ctx.request.method === "GET" && !ctx.env.options.profile.answers.manifestDigestOnGet)
    delete headers["Docker-Content-Digest"];
  // A copy: a consumer may transfer (detach) the body's buffer, and the stored bytes must survive that.
  return new Response(record.bytes.slice(), { status: 200, headers });
});

async function putManifest(ctx: Context): Promise<Response> {
  const { name, reference } = ctx.params as { name: string; reference: string };
  const invalid = referenceError(reference);
  if (invalid) return invalid;
  const length = ctx.request.headers.get("content-length");
  if (length === null && ctx.env.options.profile.answers.manifestNeedsLength) {
    return errorResponse(411, "MANIFEST_INVALID", "manifest upload requires Content-Length", {
      maxSize: 10 * 1024 * 1024,
    });
  }
  if (Number(length ?? 0) > MAX_MANIFEST_BYTES) return tooLarge();
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(ctx.request, MAX_MANIFEST_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge();
    throw error;
  }
  const json = parseJsonObject(bytes);
  if (!json) return errorResponse(400, "MANIFEST_INVALID", "manifest invalid: the body is not a JSON object");
  const inspection = inspectManifest(json, ctx.request.headers.get("content-type"));
  if (!inspection.ok) return errorResponse(400, "MANIFEST_INVALID", `manifest invalid: ${inspection.message}`);
  const byDigest = isDigest(reference);
  const digest = await digestChunks(byDigest ? parseDigest(reference)!.algorithm : "sha256", [bytes]);
  if (byDigest && digest !== reference) {
    return digestInvalid("the manifest digest does not match the reference", { expected: reference, actual: digest });
  }
  const missing = ctx.env.registry.missingReference(name, inspection.info);
  if (missing) return errorResponse(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", missing);
  const repository = ctx.env.registry.repository(name);
  const tag = byDigest ? undefined : repository?.tags.get(reference);
  const moved = tag && tag.digest !== digest ? repository?.manifests.get(tag.digest) : undefined;
  if (!allowedBy("writeEnabled", repository, repository?.manifests.get(digest), tag, moved)) return denied();
  ctx.env.registry.putManifest(name, digest, bytes, inspection.info, byDigest ? undefined : reference);
  const headers: Record<string, string> = {
    Location: `/v2/${name}/manifests/${digest}`,
    "Docker-Content-Digest": digest,
  };
  if (inspection.info.subject) headers["OCI-Subject"] = inspection.info.subject.digest;
  return empty(201, headers);
}

/** By digest: deletes the manifest and its tags. By tag: removes only the tag (OCI 1.1). */
const deleteManifest = withReference((ctx, repository, reference) => {
  const { answers } = ctx.env.options.profile;
  const refusal = isDigest(reference) ? answers.manifestDelete : answers.tagDelete;
  if (refusal) return refusalResponse(refusal);
  if (!isDigest(reference)) {
    const tag = repository.tags.get(reference);
    if (!tag) return manifestUnknown(reference, true);
    if (!allowedBy("deleteEnabled", repository, tag)) return denied();
    ctx.env.registry.deleteTag(repository, reference);
    return empty(202);
  }
  const record = repository.manifests.get(reference);
  if (!record) return manifestUnknown(reference, false);
  const tags = ctx.env.registry.tagsOf(repository, reference).map((tag) => repository.tags.get(tag));
  if (!allowedBy("deleteEnabled", repository, record, ...tags)) return denied();
  ctx.env.registry.deleteManifest(repository, reference);
  return empty(202);
});

/** The manifest endpoints. */
export const v2ManifestEndpoints: Endpoint[] = [
  {
    pattern: /^\/v2\/(?<name>.+)\/manifests\/(?<reference>[^/]+)$/,
    methods: {
      GET: { access: repositoryAccess("pull"), handle: getManifest },
      PUT: { access: repositoryAccess("pull", "push"), handle: putManifest },
      DELETE: { access: repositoryAccess("delete"), handle: deleteManifest },
    },
  },
];
