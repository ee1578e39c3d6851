/**
 * What a client has learned about how its registry takes uploads, and the choice of upload strategy that follows.
 * @module
 */
import type { ChunkedSource } from "./blob-source";

/**
 * How one blob goes to the registry:
 * - `monolithic`: `POST`, then one `PUT ?digest=` with the whole blob (content in memory, whose digest is known first);
 * - `streamed`: `POST`, one `PATCH` that streams the whole blob, then the `PUT ?digest=` (one round trip for the data);
 * - `chunked`: `POST`, `PATCH` chunks with `Content-Range`, the last one with the `PUT ?digest=`;
 * - `streamed-put`: `POST`, then one `PUT ?digest=` that streams the whole blob (a one-shot stream of known size and
 *   digest, such as a download being copied: one request for the data, the bytes never held whole).
 */
export type UploadStrategy = "monolithic" | "streamed" | "chunked" | "streamed-put";

/**
 * What the registry refused or proved so far, shared by every upload of one client, so that each refusal is met
 * once: a body too large for one request (413, or GHCR's 416 on a first chunk), a second `PATCH` in one session, a
 * chunk below `OCI-Chunk-Min-Length` (ECR). Only its verbs change it.
 */
export class UploadTraits {
  #maxRequestBody = Infinity;
  #multiplePatches = true;
  #multiplePatchesProven = false;
  #minChunk = 0;

  /** The largest body the registry takes in one request, as learned from its refusals; Infinity until it refused one. */
  get maxRequestBody(): number {
    return this.#maxRequestBody;
  }

  /** False once the registry refused a second `PATCH` in one session (or a small chunk): whole-blob requests then. */
  get multiplePatches(): boolean {
    return this.#multiplePatches;
  }

  /** True once the registry took a second `PATCH` in one session (a one-shot stream then keeps no copies). */
  get multiplePatchesProven(): boolean {
    return this.#multiplePatchesProven;
  }

  /**
   * The registry refused a body of `size` bytes as too large. It takes at most `limit` when its answer named one
   * (GHCR's "4.00MiB"), else at most half of `size`: one more try learns a named limit, a halving per try otherwise.
   * Returns the limit now in force.
   */
  refusedBody(size: number | undefined, limit?: number): number {
    const learned =
      limit !== undefined && limit >= 1 && (size === undefined || limit < size)
        ? limit
        : Math.max(1, Math.floor((size ?? 2) / 2));
    this.#maxRequestBody = Math.min(this.#maxRequestBody, learned);
    return this.#maxRequestBody;
  }

  /** The registry refused a second `PATCH` in one session, or a chunk below its minimum: one request per blob. */
  refusedSecondPatch(): void {
    this.#multiplePatches = false;
  }

  /** The registry took a second `PATCH` in one session. */
  acceptedSecondPatch(): void {
    this.#multiplePatchesProven = true;
  }

  /**
   * The strategy for `source`: one request for the data wherever the registry allows it; chunks where the caller set
   * a chunk size, where the blob is over the registry's request limit, where a one-shot stream must keep a resumable
   * tail in memory, and for Blobs in browsers, whose fetch reports no upload progress (slices give it). A blob that
   * fits one chunk goes with the PUT alone, whatever the strategy. A one-shot stream whose size and digest are known
   * goes whole in the completing PUT (outside browsers, which stream request bodies only over HTTP/2): the digest is
   * in its URL before the first byte, and the registry checks the bytes against it.
   */
  choose(
    source: ChunkedSource,
    options: { browser: boolean; chunkSize: number; chunksRequested: boolean; digestKnown?: boolean },
  ): UploadStrategy {
    const size = source.size;
    const fitsOneRequest = size !== undefined ? size <= this.#maxRequestBody : this.#maxRequestBody === Infinity;
    const chunksWanted = options.chunksRequested && this.#multiplePatches;
    if (
      options.digestKnown &&
      size !== undefined &&
      fitsOneRequest &&
      !source.rereadable &&
      !options.browser &&
      !chunksWanted
    )
      return "streamed-put";
    if (!this.#multiplePatches) return source.bytes && fitsOneRequest ? "monolithic" : "streamed";
    if (options.chunksRequested) return "chunked";
    if (source.bytes && fitsOneRequest) return "monolithic";
    if (!fitsOneRequest || !source.rereadable || (options.browser && source.blob)) return "chunked";
    return size !== undefined && size <= options.chunkSize ? "chunked" : "streamed";
  }

  /** The chunk size to use: the caller's, but at least the registry's minimum and at most its request limit. */
  chunkSize(requested: number, sessionMinimum: number): number {
    this.#minChunk = Math.max(this.#minChunk, sessionMinimum);
    return Math.max(1, Math.min(Math.max(requested, this.#minChunk), this.#maxRequestBody));
  }
}

/** The client's upload traits, made on its first upload. */
export function uploadTraitsOf(context: { uploads?: UploadTraits }): UploadTraits {
  return (context.uploads ??= new UploadTraits());
}
