/**
 * The "storage" origin of redirect mode: blob GETs on the registry answer 307 to signed URLs served here,
 * as ACR redirects to Azure Blob Storage.
 *
 * It refuses any request carrying an Authorization header, so tests can prove a client never leaks its
 * registry token to another origin.
 * @module
 */
import { encodeBase64Url } from "./base64url";
import { serveBlob } from "./blob-response";
import type { StoredBlob } from "./blobs";
import { errorResponse, methodNotAllowed } from "./errors";

/** How long a signed storage URL stays valid, like a short SAS. */
const LINK_LIFETIME_MS = 10 * 60 * 1000;

/** The origin used when no storage listener runs: reachable only through the in-process `fetch`. */
const IN_PROCESS_ORIGIN = "http://storage.acrkit-emulator.invalid";

interface SignedLink {
  blob: StoredBlob;
  /** False for a URL signed for GET only: a HEAD on it is refused 403, as S3 refuses it (registry-quirks row 60). */
  headAllowed: boolean;
  sig: string;
  expires: number;
}

/** Signed blob links and the handler of the storage origin. */
export class BlobStorage {
  /** The storage origin; `listen()` replaces it with its second listener's URL. */
  origin = IN_PROCESS_ORIGIN;
  readonly #links = new Map<string, SignedLink>();

  /** @param clock milliseconds since the epoch */
  constructor(private readonly clock: () => number) {}

  /** An absolute, signed, expiring URL for a blob on the storage origin; `headAllowed` false signs it for GET only. */
  sign(blob: StoredBlob, headAllowed = true): string {
    const now = this.clock();
    for (const [id, link] of this.#links) if (link.expires <= now) this.#links.delete(id);
    const id = crypto.randomUUID();
    const sig = encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
    this.#links.set(id, { blob, headAllowed, sig, expires: now + LINK_LIFETIME_MS });
    return `${this.origin}/blobs/${id}?sig=${sig}`;
  }

  /** True when a request URL belongs to the storage origin. */
  owns(url: URL): boolean {
    return url.origin === this.origin;
  }

  /** Serves a signed blob URL; 403 for an Authorization header or a bad or expired signature. */
  handle(request: Request, url: URL): Response {
    if (request.headers.has("authorization")) {
      return errorResponse(403, "DENIED", "the storage origin does not accept an Authorization header");
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return methodNotAllowed(request.method, ["GET", "HEAD"]);
    }
    const id = /^\/blobs\/([^/]+)$/.exec(url.pathname)?.[1];
    const link = id === undefined ? undefined : this.#links.get(id);
    if (!link || link.sig !== url.searchParams.get("sig") || link.expires <= this.clock()) {
      return errorResponse(403, "DENIED", "the signature is missing, wrong or expired");
    }
    if (request.method === "HEAD" && !link.headAllowed) {
      return errorResponse(
        403,
        "SignatureDoesNotMatch",
        "the request signature does not match: this URL is signed for GET",
      );
    }
    return serveBlob(request, link.blob);
  }
}
