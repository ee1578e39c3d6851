/**
 * A fetch wrapper that keeps the manifests a run has read, by digest: a manifest named by its digest never changes,
 * so `cp` reads a source's top manifest once, to learn its digest and to copy it, not twice.
 * @module
 */
import type { FetchLike } from "acrkit";

const MANIFEST_PATH = /^(.*\/v2\/.+\/manifests\/)([^/]+)$/;
/** Manifests are at most 4 MiB; a larger answer is passed through unkept. */
const MAX_KEPT = 4 * 1024 * 1024;

/** Wraps `base` so that a GET of a manifest by a digest already read is answered from memory. */
export function manifestCachingFetch(base: FetchLike): FetchLike {
  const kept = new Map<string, { bytes: Uint8Array; headers: Headers }>();
  return async (request) => {
    const url = new URL(request.url);
    const match = request.method === "GET" ? MANIFEST_PATH.exec(url.pathname) : null;
    if (!match) return base(request);
    const hit = kept.get(`${url.origin}${url.pathname}`);
    if (hit) return new Response(hit.bytes.slice(), { status: 200, headers: hit.headers });
    const response = await base(request);
    const digest = response.headers.get("docker-content-digest");
    const length = Number(response.headers.get("content-length") ?? NaN);
    if (response.status !== 200 || !digest || !(length <= MAX_KEPT)) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    kept.set(`${url.origin}${match[1]}${digest}`, { bytes, headers: new Headers(response.headers) });
    return new Response(bytes.slice(), { status: 200, headers: response.headers });
  };
}
