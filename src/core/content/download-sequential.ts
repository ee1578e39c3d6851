/**
 * The bytes of a blob over one connection, in order, resumed after a broken connection: with Range from the last
 * byte received, or, where the server ignores or refuses Range, by reading the blob again from byte 0 and skipping
 * what was already delivered (registry-quirks row 51).
 * @module
 */
import { NetworkError } from "../errors/network-error";
import { RegistryError } from "../errors/registry-error";
import type { BlobLocation, RangeAnswer } from "./blob-location";
import { brokenResponse, bodyOf, rangeStart } from "./download-response";

/** In-order bytes of a blob, before verification. */
export interface BlobPieces {
  /** The next piece, or undefined at the end of the blob. */
  read(): Promise<Uint8Array | undefined>;
  cancel(reason?: unknown): Promise<void>;
}

/** Settings of a sequential read. */
export interface SequentialOptions {
  /** The blob's size, when known: a body that ends before it is a broken connection. */
  size: number | undefined;
  /** How many times a broken connection is resumed. */
  maxResumes: number;
  signal?: AbortSignal;
}

/**
 * Reads the blob from `response` (whose body starts at byte `offset`, after `skip` bytes to drop) to its end, resuming
 * through `location` when the connection breaks.
 */
export function sequentialPieces(
  location: BlobLocation,
  response: Response,
  offset: number,
  options: SequentialOptions,
  skip = 0,
): BlobPieces {
  let reader = bodyOf(response).getReader();
  let received = offset;
  let toSkip = skip;
  let resumes = 0;

  const resume = async (problem: unknown): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason;
      // The transport turns every broken or stalled body into a NetworkError: that, and only that, is resumed.
      if (resumes >= options.maxResumes || !(problem instanceof NetworkError)) throw problem;
      resumes++;
      try {
        // Continue from the last byte delivered: with Range nothing is fetched twice.
        const answer = await location.read(received, options.size, options.signal);
        const next = await plainIfRefused(location, answer, received, options.signal);
        void reader.cancel().catch(() => undefined);
        reader = bodyOf(next.response).getReader();
        toSkip = next.skip;
        return;
      } catch (resumeError) {
        // A resume that itself finds no connection is one more attempt, not the end.
        problem = resumeError;
      }
    }
  };

  return {
    async read() {
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
          if (result.done && options.size !== undefined && received < options.size) {
            throw new NetworkError("connection", "GET", location.url);
          }
        } catch (error) {
          await resume(error);
          continue;
        }
        if (result.done) return undefined;
        let piece = result.value;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, piece.byteLength);
          toSkip -= dropped;
          piece = piece.subarray(dropped);
          if (piece.byteLength === 0) continue;
        }
        received += piece.byteLength;
        return piece;
      }
    },
    cancel: (reason) => reader.cancel(reason).catch(() => undefined),
  };
}

/**
 * The response to go on with from `offset`, and how many of its bytes to drop: a 206 starts there; a 200 starts at
 * byte 0; a refusal of Range is followed by a plain read from byte 0.
 */
export async function plainIfRefused(
  location: BlobLocation,
  answer: RangeAnswer,
  offset: number,
  signal?: AbortSignal,
): Promise<{ response: Response; skip: number }> {
  if (answer.kind === "range") {
    if (rangeStart(answer.response) !== offset)
      throw await brokenResponse(answer.response, location.digest, "a Content-Range that does not match the request");
    return { response: answer.response, skip: 0 };
  }
  if (answer.kind === "whole") return { response: answer.response, skip: offset };
  const plain = await location.read(0, undefined, signal);
  if (plain.kind === "refused")
    throw new RegistryError({
      statusCode: 400,
      method: "GET",
      url: location.url,
      message: `GET ${location.url}: the server refused a plain read of ${location.digest}`,
    });
  // A 206 to a read without Range is taken at its word: it must start at byte 0.
  if (plain.kind === "range" && rangeStart(plain.response) !== 0)
    throw await brokenResponse(plain.response, location.digest, "a Content-Range that does not match the request");
  return { response: plain.response, skip: offset };
}
