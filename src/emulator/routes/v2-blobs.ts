/**
 * GET, HEAD and DELETE of /v2/<name>/blobs/<digest>; in redirect mode GET answers 307 to the storage origin.
 * @module
 */
import { isDigest } from "../../core/grammar/digest";
import { serveBlob } from "../blob-response";
import { repositoryAccess, type Context, type Endpoint } from "../context";
import { blobUnknown, denied, digestInvalid } from "../errors";
import { empty } from "../http";
import { allowedBy } from "../policy";

function getBlob(ctx: Context): Response {
  const { name, digest } = ctx.params as { name: string; digest: string };
  if (!isDigest(digest)) return digestInvalid("invalid digest", digest);
  if (!allowedBy("readEnabled", ctx.env.registry.repository(name))) return denied();
  const blob = ctx.env.registry.blob(name, digest);
  if (!blob) return blobUnknown(digest);
  if (ctx.env.options.redirectBlobs && ctx.request.method === "GET") {
    // ACR sends blob reads to storage with an absolute URL on another origin.
    return new Response(null, {
      status: 307,
      headers: { Location: ctx.env.storage.sign(blob), "Docker-Content-Digest": digest, "Content-Length": "0" },
    });
  }
  return serveBlob(ctx.request, blob);
}

function deleteBlob(ctx: Context): Response {
  const { name, digest } = ctx.params as { name: string; digest: string };
  if (!isDigest(digest)) return digestInvalid("invalid digest", digest);
  if (!allowedBy("deleteEnabled", ctx.env.registry.repository(name))) return denied();
  return ctx.env.registry.unlinkBlob(name, digest)
    ? empty(202, { "Docker-Content-Digest": digest })
    : blobUnknown(digest);
}

/** The blob endpoints. */
export const v2BlobEndpoints: Endpoint[] = [
  {
    pattern: /^\/v2\/(?<name>.+)\/blobs\/(?<digest>[^/]+)$/,
    methods: {
      GET: { access: repositoryAccess("pull"), handle: getBlob },
      DELETE: { access: repositoryAccess("delete"), handle: deleteBlob },
    },
  },
];
