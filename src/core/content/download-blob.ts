/**
 * `downloadBlob`: a stream that verifies the digest as it goes and resumes with Range after a broken connection.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import type { Hasher } from "../digest/hasher";
import { finishDigest } from "../digest/hasher";
import { DigestValidationError } from "../errors/digest-validation-error";
import { NetworkError } from "../errors/network-error";
import { RegistryError } from "../errors/registry-error";
import { parseDigest } from "../grammar/digest";
import { redactUrl } from "../redaction/redact";
import { discard } from "../http/discard";
import type { OperationOptions } from "../operation-context";
import { blobUrl } from "./blobs";
import type { ContentContext, TransferProgress } from "./context";
import { parseContentRange } from "./content-range";

/** Options of `downloadBlob`. */
export interface DownloadBlobOptions extends OperationOptions {
  /** Called as bytes arrive, with the bytes received so far and the blob's size. */
  onProgress?: (progress: TransferProgress) => void;
  /** How many times a broken transfer is resumed from where it stopped. Default 5. */
  maxResumes?: number;
  /**
   * Continues a download an earlier run began: the first `offset` bytes are held already and `prefix` streams them
   * (to be hashed, so the whole blob is still verified); only the rest is asked for, with Range, and `body` carries
   * the bytes from `offset` on. A registry that will not send a range answers with a RegistryError.
   */
  resumeFrom?: DownloadResumePoint;
}

/** Where a download an earlier run began stands: the bytes held, and a stream of them. */
export interface DownloadResumePoint {
  /** How many bytes of the blob are held. */
  offset: number;
  /** The held bytes, from the blob's start: hashed before the rest is asked for. */
  prefix: ReadableStream<Uint8Array>;
}

/** A blob being downloaded. */
export interface DownloadBlobResult {
  /** The digest that was asked for; `body` is checked against it. */
  digest: string;
  /**
   * The blob's size in bytes, as the registry declared it (`Content-Length`); undefined when it sent the blob without
   * one (chunked transfer encoding). The digest verifies the bytes either way.
   */
  size: number | undefined;
  /** The content; errors with DigestValidationError instead of closing when the bytes do not match `digest`. */
  body: ReadableStream<Uint8Array>;
}

/** Starts downloading a blob; the returned body verifies its digest as it streams. */
export async function downloadBlob(
  context: ContentContext,
  repository: string,
  digest: string,
  options: DownloadBlobOptions = {},
): Promise<DownloadBlobResult> {
  const algorithm = parseDigest(digest)!.algorithm;
  const start = options.resumeFrom?.offset ?? 0;
  const [response, hasher] = start > 0
    ? await resumedStart(context, repository, digest, options.resumeFrom!, algorithm, options.signal)
    : await Promise.all([requestRange(context, repository, digest, 0, options.signal), context.hasherFactory(algorithm)]);
  const size = contentSize(response, start, digest);
  const maxResumes = options.maxResumes ?? 5;
  let reader = bodyOf(response).getReader();
  let received = start;
  let resumes = 0;

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    controller.error(error);
    void reader.cancel().catch(() => undefined);
  };

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull that enqueues nothing is not called again while the consumer waits: after a resume, this same pull
      // reads on from the new connection, or the reader would hang.
      attempts: for (;;) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            if (size !== undefined && received < size) throw new NetworkError("connection", "GET", redactUrl(blobUrl(context, repository, digest)));
            await finish(controller);
            return;
          }
          if (size !== undefined && received + value.byteLength > size) {
            throw new DigestValidationError(digest, "(more bytes than the declared size)", `The registry sent more than the ${size} bytes of ${digest}`);
          }
          await hasher.update(value);
          received += value.byteLength;
          options.onProgress?.({ loaded: received, total: size });
          controller.enqueue(value);
          if (received === size) await finish(controller);
          return;
        } catch (error) {
          let problem = error;
          for (;;) {
            if (options.signal?.aborted) return fail(controller, options.signal.reason);
            // The transport turns every broken or stalled body into a NetworkError: that, and only that, is resumed.
            if (resumes >= maxResumes || !(problem instanceof NetworkError)) return fail(controller, problem);
            resumes++;
            try {
              // Continue from the last byte received and hashed: nothing is fetched twice.
              const resumed = await requestRange(context, repository, digest, received, options.signal);
              contentSize(resumed, received, digest);
              void reader.cancel().catch(() => undefined);
              reader = bodyOf(resumed).getReader();
              continue attempts;
            } catch (resumeError) {
              // A resume that itself finds no connection is one more attempt, not the end.
              problem = resumeError;
            }
          }
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });

  async function finish(controller: ReadableStreamDefaultController<Uint8Array>) {
    const actual = await finishDigest(algorithm, hasher as Hasher);
    if (actual !== digest) fail(controller, new DigestValidationError(digest, actual, `The downloaded content of ${digest} has digest ${actual}`));
    else {
      controller.close();
      void reader.cancel().catch(() => undefined);
    }
  }

  return { digest, size, body };
}

/** Hashes the bytes held from an earlier run, then asks for the rest. */
async function resumedStart(
  context: ContentContext,
  repository: string,
  digest: string,
  resumeFrom: DownloadResumePoint,
  algorithm: Parameters<ContentContext["hasherFactory"]>[0],
  signal: AbortSignal | undefined,
): Promise<[Response, Hasher]> {
  if (!Number.isSafeInteger(resumeFrom.offset) || resumeFrom.offset < 0) throw new RangeError(`resumeFrom.offset must be a non-negative integer, got ${resumeFrom.offset}`);
  const hasher = await context.hasherFactory(algorithm);
  let held = 0;
  const reader = resumeFrom.prefix.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    held += chunk.value.byteLength;
    if (held > resumeFrom.offset) break;
    await hasher.update(chunk.value);
  }
  await reader.cancel().catch(() => undefined);
  if (held !== resumeFrom.offset) throw new RangeError(`resumeFrom.prefix holds ${held > resumeFrom.offset ? "more" : "fewer"} than its offset of ${resumeFrom.offset} bytes`);
  return [await requestRange(context, repository, digest, resumeFrom.offset, signal), hasher];
}

async function requestRange(context: ContentContext, repository: string, digest: string, offset: number, signal?: AbortSignal): Promise<Response> {
  const response = await context.pipeline.send({
    method: "GET",
    url: blobUrl(context, repository, digest),
    scope: repositoryScope(repository, "pull"),
    headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
    signal,
    // Only a stall ends a blob body (the transport's watchdog); its length says nothing about how long it may take.
    stream: true,
    expect: offset > 0 ? [206] : [200, 206],
  });
  // A 0-byte blob may come without a body at all (an in-process fetch such as the emulator's).
  if (!response.body && response.headers.get("content-length") !== "0") {
    await discard(response);
    throw brokenResponse(response, digest, "a response without a body");
  }
  return response;
}

/** The response's body, or an empty stream for a response that has none. */
function bodyOf(response: Response): ReadableStream<Uint8Array> {
  return response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

/**
 * The blob's total size from the response, checking that a ranged answer starts where we asked; undefined for a
 * whole blob sent without `Content-Length` (chunked), whose end is the end of its body.
 */
function contentSize(response: Response, offset: number, digest: string): number | undefined {
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get("content-range"));
    if (!range || range.start !== offset || range.total === undefined) throw brokenResponse(response, digest, "a Content-Range that does not match the request");
    return range.total;
  }
  const header = response.headers.get("content-length");
  if (header === null) return undefined;
  const length = Number(header);
  if (!Number.isSafeInteger(length) || length < 0) throw brokenResponse(response, digest, "an invalid Content-Length");
  return length;
}

function brokenResponse(response: Response, digest: string, problem: string): RegistryError {
  const url = redactUrl(response.url || digest);
  return new RegistryError({ statusCode: response.status, method: "GET", url, message: `GET ${url}: the registry sent ${problem}` });
}
