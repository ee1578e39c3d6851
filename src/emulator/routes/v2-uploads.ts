/**
 * Blob uploads: POST (session, single-POST, mount), PATCH chunks, PUT to complete, GET status, DELETE to cancel.
 *
 * Locations are relative and carry `_nouploadcache=false&_state=<opaque>` like ACR's; `_state` changes on
 * every completed step and a stale one is refused, while an absent one is tolerated (the Python SDK drops it).
 * @module
 */
import { isDigest } from "../../core/grammar/digest";
import { isRepositoryName } from "../../core/grammar/reference";
import { allows } from "../auth";
import type { Access, Context, Endpoint } from "../context";
import { denied, digestInvalid, errorResponse, uploadInvalid, uploadUnknown } from "../errors";
import { empty } from "../http";
import { allowedBy } from "../policy";
import { refusalResponse } from "../profiles/refusal-response";
import { UploadSession } from "../uploads";

function progressHeaders(session: UploadSession): Record<string, string> {
  return { Location: session.location(), Range: session.range(), "Docker-Upload-UUID": session.uuid };
}

function blobCreated(name: string, digest: string): Response {
  return empty(201, { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest });
}

function writeAllowed(ctx: Context): boolean {
  return allowedBy("writeEnabled", ctx.env.registry.repository(ctx.params.name!));
}

async function openSession(ctx: Context): Promise<UploadSession> {
  const session = await UploadSession.open(ctx.params.name!);
  ctx.env.uploads.set(session.uuid, session);
  return session;
}

/**
 * Checks a chunk's `Content-Range` (`start-end`, optionally `bytes ` and `/total`) against the session's offset and
 * the profile's chunk cap; a PATCH without one after the first write is refused where the profile requires it.
 */
function rangeError(ctx: Context, session: UploadSession): Response | undefined {
  const header = ctx.request.headers.get("content-range");
  const rules = ctx.env.options.profile.uploads;
  if (header === null) {
    const streamedAgain = ctx.request.method === "PATCH" && session.writes > 0 && rules.contentRangeAfterFirst;
    return streamedAgain
      ? errorResponse(400, "BLOB_UPLOAD_INVALID", "Stream uploads after first write are not allowed")
      : undefined;
  }
  const match = /^(?:bytes )?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!match) return errorResponse(400, "BLOB_UPLOAD_INVALID", `malformed Content-Range "${header}"`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (rules.chunkCap && end - start + 1 > rules.chunkCap.bytes) return refusalResponse(rules.chunkCap.refusal);
  if (start !== session.size || end < start) {
    const message = `chunk ${start}-${end} does not continue the upload at offset ${session.size}`;
    return errorResponse(416, "BLOB_UPLOAD_INVALID", message, undefined, progressHeaders(session));
  }
  const length = ctx.request.headers.get("content-length");
  if (length !== null && Number(length) !== end - start + 1) {
    return errorResponse(400, "SIZE_INVALID", `Content-Length ${length} does not match Content-Range ${header}`);
  }
  return undefined;
}

/** The body length the request announces, if it announces a valid one. */
function declaredLength(request: Request): number | undefined {
  const header = request.headers.get("content-length");
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
}

/** The profile's refusal of a request adding `size` bytes, or of a body over its size limit. */
function profileRefusal(ctx: Context, session: UploadSession, size: number): Response | undefined {
  const rules = ctx.env.options.profile.uploads;
  if (size > rules.maxRequestBytes) return refusalResponse(rules.tooLarge);
  const refusal = size > 0 ? rules.refuseChunk(session, size) : undefined;
  return refusal && errorResponse(refusal.status, refusal.code, refusal.message, undefined, progressHeaders(session));
}

/**
 * Appends the request body, within the profile's rules: checked on `Content-Length` before reading when there
 * is one, and on the bytes received otherwise (a refused body is rolled back). A body cut off mid-way keeps the
 * bytes that arrived, or loses the session on a profile that does so; `_state` stays as it was.
 */
async function receive(ctx: Context, session: UploadSession): Promise<Response | undefined> {
  const problem = rangeError(ctx, session);
  if (problem) return problem;
  const declared = declaredLength(ctx.request);
  const early = declared === undefined ? undefined : profileRefusal(ctx, session, declared);
  if (early) return early;
  const rules = ctx.env.options.profile.uploads;
  const checkpoint = session.checkpoint();
  session.busy = true;
  try {
    const { received, interrupted, exceeded } = await session.append(ctx.request.body, rules.maxRequestBytes);
    const refused = exceeded || declared === undefined ? profileRefusal(ctx, session, received) : undefined;
    if (refused) {
      session.restore(checkpoint);
      return refused;
    }
    if (interrupted && rules.interrupted === "lose") {
      session.lose();
      return uploadInvalid(session.uuid);
    }
    session.recordWrite(received);
    if (interrupted)
      return errorResponse(
        400,
        "BLOB_UPLOAD_INVALID",
        "the request body was cut off",
        undefined,
        progressHeaders(session),
      );
  } finally {
    session.busy = false;
  }
  return undefined;
}

/** Verifies the digest, stores the blob and ends the session (also on a mismatch, as distribution does). */
async function complete(ctx: Context, session: UploadSession, digest: string): Promise<Response> {
  ctx.env.uploads.delete(session.uuid);
  const actual = await session.digestLike(digest);
  if (actual !== digest) {
    return digestInvalid("provided digest did not match uploaded content", { expected: digest, actual });
  }
  ctx.env.registry.linkBlob(session.repository, session.toBlob(digest));
  return blobCreated(session.repository, digest);
}

async function startUpload(ctx: Context): Promise<Response> {
  const name = ctx.params.name!;
  if (!writeAllowed(ctx)) return denied();
  const search = ctx.url.searchParams;
  const mount = search.get("mount");
  const from = search.get("from");
  const rules = ctx.env.options.profile.uploads;
  if (mount !== null && from !== null && isRepositoryName(from) && isDigest(mount)) {
    const project = `${from.split("/")[0]!}/`;
    const projectExists = ctx.env.registry
      .repositories()
      .some((repository) => `${repository.name}/`.startsWith(project));
    const answer = ctx.env.options.profile.answers.mount(from, projectExists);
    if (typeof answer === "object") return refusalResponse(answer);
    const source = ctx.env.registry.blob(from, mount);
    const readable = allowedBy("readEnabled", ctx.env.registry.repository(from));
    // Without pull on the source the mount silently degrades to an upload, as OCI allows.
    if (answer === "link" && source && readable && allows(ctx, "repository", from, "pull")) {
      ctx.env.registry.linkBlob(name, source);
      return blobCreated(name, mount);
    }
  }
  const digest = search.get("digest");
  if (digest === null || mount !== null) {
    const session = await openSession(ctx);
    return empty(202, { ...progressHeaders(session), Range: rules.openRange, ...rules.openHeaders });
  }
  if (!isDigest(digest)) return digestInvalid("invalid digest", digest);
  const session = await openSession(ctx);
  const problem = await receive(ctx, session);
  if (!problem) return complete(ctx, session, digest);
  // The client of a single POST never learned the session's Location: a failed one must not linger.
  ctx.env.uploads.delete(session.uuid);
  return problem;
}

/** Runs the handler on the session the path names, after checking repository and `_state`. */
function withSession(handler: (ctx: Context, session: UploadSession) => Response | Promise<Response>) {
  return (ctx: Context) => {
    const uuid = ctx.params.uuid!;
    const session = ctx.env.uploads.get(uuid);
    if (!session || session.repository !== ctx.params.name) return uploadUnknown(uuid);
    if (session.lost) return uploadInvalid(uuid);
    // Only writes are held to the latest `_state` and refused while another write runs; status and cancel
    // must keep working for a client recovering from a cut-off request.
    const writes = ctx.request.method === "PATCH" || ctx.request.method === "PUT";
    const state = ctx.url.searchParams.get("_state");
    if (state === null && ctx.env.options.profile.uploads.stateRequired) return uploadInvalid(uuid);
    if (writes && state !== null && state !== session.state) {
      return errorResponse(404, "BLOB_UPLOAD_INVALID", "the upload state is stale: use the latest Location", uuid);
    }
    if (writes && session.busy) {
      return errorResponse(
        416,
        "BLOB_UPLOAD_INVALID",
        "another request is writing to this upload",
        undefined,
        progressHeaders(session),
      );
    }
    return handler(ctx, session);
  };
}

const patchUpload = withSession(async (ctx, session) => {
  const problem = await receive(ctx, session);
  if (problem) return problem;
  session.advance();
  const rules = ctx.env.options.profile.uploads;
  const headers = progressHeaders(session);
  // ECR's Range stops advancing after the second PATCH, although the bytes are stored (registry-quirks row 3).
  session.patches++;
  if (rules.rangeStallsAfter !== undefined && session.patches >= rules.rangeStallsAfter) {
    session.stalledRange ??= headers.Range!;
    headers.Range = session.stalledRange;
  }
  return empty(rules.chunkStatus, headers);
});

const putUpload = withSession(async (ctx, session) => {
  const digest = ctx.url.searchParams.get("digest");
  if (digest === null || !isDigest(digest)) return digestInvalid("a valid digest query parameter is required", digest);
  if (!writeAllowed(ctx)) return denied();
  // Artifactory refused a whole blob in the PUT of a session without writes (registry-quirks row 46).
  const refusal = ctx.env.options.profile.uploads.bodyOnlyPut;
  if (refusal && session.writes === 0 && (declaredLength(ctx.request) ?? 0) > 0) return refusalResponse(refusal);
  return (await receive(ctx, session)) ?? (await complete(ctx, session, digest));
});

/** Upload status: where the upload stands, and the Location to continue from. */
const uploadStatus = withSession(
  (_ctx, session) => new Response(null, { status: 204, headers: progressHeaders(session) }),
);

const cancelUpload = withSession((ctx, session) => {
  ctx.env.uploads.delete(session.uuid);
  return new Response(null, { status: 204 });
});

/** Push access; a mount also names the source's pull in the challenge (`repository:dst:pull,push repository:src:pull`). */
function pushAccess(ctx: Context): Access {
  const required = [{ type: "repository", name: ctx.params.name!, actions: ["pull", "push"] }];
  const from = ctx.url.searchParams.get("from");
  const mounting = ctx.url.searchParams.has("mount") && from !== null && isRepositoryName(from);
  return mounting
    ? { kind: "scopes", required, optional: [{ type: "repository", name: from, actions: ["pull"] }] }
    : { kind: "scopes", required };
}

/** The upload endpoints. */
export const v2UploadEndpoints: Endpoint[] = [
  {
    pattern: /^\/v2\/(?<name>.+)\/blobs\/uploads\/?$/,
    methods: { POST: { access: pushAccess, handle: startUpload } },
  },
  {
    pattern: /^\/v2\/(?<name>.+)\/blobs\/uploads\/(?<uuid>[^/]+)$/,
    methods: {
      PATCH: { access: pushAccess, handle: patchUpload },
      PUT: { access: pushAccess, handle: putUpload },
      GET: { access: pushAccess, handle: uploadStatus },
      DELETE: { access: pushAccess, handle: cancelUpload },
    },
  },
];
