/**
 * Quirk: one request's body is limited; a larger one gets 413 and stores nothing.
 *
 * `putLimit(bytes)` answers in the OCI JSON (`SIZE_INVALID`), as ACR is reported to for large single-request pushes.
 * `proxyLimit(bytes)` answers as nginx or Cloudflare in front of a registry does (registry-quirks row 57): an HTML
 * page and `Connection: close`, on a PUT and on a streamed PATCH alike.
 * @module
 */
import type { Quirk } from "../profile";

/** The body size over which the `put-limit` profile answers 413. */
export const PUT_LIMIT_BYTES = 20_000_000;

/** Bodies over `bytes` get 413 `SIZE_INVALID` in the OCI error format. */
export function putLimit(bytes = PUT_LIMIT_BYTES): Quirk {
  return (profile) => ({ ...profile, uploads: { ...profile.uploads, maxRequestBytes: bytes } });
}

/** Bodies over `bytes` get nginx's 413 HTML page with `Connection: close`. */
export function proxyLimit(bytes: number): Quirk {
  return (profile) => ({
    ...profile,
    uploads: {
      ...profile.uploads,
      maxRequestBytes: bytes,
      tooLarge: {
        status: 413,
        body: { form: "html", title: "413 Request Entity Too Large" },
        headers: { Connection: "close" },
      },
    },
  });
}
