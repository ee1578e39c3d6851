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

/** Whether the request accepts gzip (`Accept-Encoding: gzip`, with a q-value above 0 if it has one). */
function acceptsGzip(request: Request): boolean {
  return (request.headers.get("accept-encoding") ?? "").split(",").some((entry) => {
    const [coding, ...parameters] = entry.trim().toLowerCase().split(";");
    const q = parameters
      .map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1])
      .find((value) => value !== undefined);
    return coding === "gzip" && (q === undefined || Number(q) > 0);
  });
}

/** A whole-blob 200 gzip-encoded for a client that accepts it, with the encoded length (registry-quirks row 34). */
async function gzipped(request: Request, response: Response): Promise<Response> {
  if (response.status !== 200 || !response.body || !acceptsGzip(request)) return response;
  const encoded = new Uint8Array(
    await new Response(response.body.pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
  const headers = new Headers(response.headers);
  headers.set("Content-Encoding", "gzip");
  headers.set("Content-Length", String(encoded.byteLength));
  return new Response(encoded, { status: 200, headers });
}

function getBlob(ctx: Context): Response | Promise<Response> {
  const { name, digest } = ctx.params as { name: string; digest: string };
  if (!isDigest(digest)) return digestInvalid("invalid digest", digest);
  if (!allowedBy("readEnabled", ctx.env.registry.repository(name))) return denied();
  const blob = ctx.env.registry.blob(name, digest);
  if (!blob) return blobUnknown(digest);
  const redirect = ctx.env.options.blobRedirect;
  if (redirect && (ctx.request.method === "GET" ? redirect.get : redirect.head)) {
    // ACR sends blob reads to storage with an absolute URL on another origin.
    return new Response(null, {
      status: 307,
      headers: {
        Location: ctx.env.storage.sign(blob, redirect.headAllowed),
        "Docker-Content-Digest": digest,
        "Content-Length": "0",
      },
    });
  }
  const { answers } = ctx.env.options.profile;
  const response = serveBlob(ctx.request, blob, answers.rangeIgnored);
  return answers.gzipBlobs && ctx.request.method === "GET" ? gzipped(ctx.request, response) : response;
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
