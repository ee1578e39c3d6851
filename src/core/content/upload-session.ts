/**
 * An OCI upload session: its start, its moving `Location`, PATCHes, completion and cancellation.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { AcrkitError } from "../errors/acrkit-error";
import { RegistryError } from "../errors/registry-error";
import { discard } from "../http/discard";
import { redactUrl } from "../redaction/redact";
import { toRegistryError } from "../http/response-error";
import { registryUrl } from "../operation-context";
import { sleep } from "../utils/abort";
import { parseUploadRange } from "./content-range";
import type { ContentContext } from "./context";

/** How long a best-effort cancellation of an abandoned session may take. */
const CANCEL_TIMEOUT_MS = 5_000;
/** How often a status query asks a registry that is still busy with a cut-off request (it answers 416 meanwhile). */
const STATUS_BUSY_ATTEMPTS = 10;

/** What a PATCH sends: bytes in memory, a Blob (the browser streams it from disk), or a stream read once. */
export type PatchBody = Uint8Array | Blob | ReadableStream<Uint8Array>;

/** A request body streamed from a one-shot source, with the length it will have. */
export interface StreamedBody {
  streamed: ReadableStream<Uint8Array>;
  length: number;
}

/** The registry no longer knows the upload session (404 on its status): the upload must start over. */
export class UploadSessionLost extends AcrkitError {
  override readonly name = "UploadSessionLost";
  /** Bytes the registry had confirmed before, filled in by the uploader that knows them. */
  confirmed: number | undefined;

  /** @param answer - the registry's 404, kept as `cause` */
  constructor(readonly answer: RegistryError) {
    super(answer.message, { cause: answer });
  }
}

/** One upload session; `location` follows every response, as the protocol requires. */
export class UploadSession {
  /** The smallest PATCH the registry takes but for the last (`OCI-Chunk-Min-Length`), 0 when it set none. */
  minChunkLength = 0;

  private constructor(
    private readonly context: ContentContext,
    private readonly repository: string,
    public location: URL,
  ) {}

  /** Opens a session (`POST /v2/<name>/blobs/uploads/`). */
  static async start(context: ContentContext, repository: string, signal?: AbortSignal): Promise<UploadSession> {
    const url = registryUrl(context, `/v2/${repository}/blobs/uploads/`);
    const response = await context.pipeline.send({
      method: "POST",
      url,
      scope: repositoryScope(repository, "pull", "push"),
      signal,
      // An empty POST only opens a session: sending it twice at worst leaves one unused session, which registries
      // purge. A POST that carries content (single-POST upload) would not be safe to repeat, and is not sent.
      idempotent: true,
      expect: [202],
    });
    await discard(response);
    const session = UploadSession.adopt(context, repository, response, url, "POST");
    const minimum = Number(response.headers.get("oci-chunk-min-length"));
    if (Number.isSafeInteger(minimum) && minimum > 0) session.minChunkLength = minimum;
    return session;
  }

  /**
   * Takes over a session the registry opened on its own, e.g. a mount it answered with 202: `response` is that
   * answer, and its `Location` names the session.
   */
  static adopt(
    context: ContentContext,
    repository: string,
    response: Response,
    requestUrl: URL,
    method: string,
  ): UploadSession {
    const session = new UploadSession(context, repository, requestUrl);
    session.#follow(response, method);
    return session;
  }

  /**
   * Sends bytes that start at `offset` (`PATCH`). With a known `length` the request says its `Content-Range` and
   * `Content-Length`; a stream of unknown length goes out chunked.
   */
  async append(body: PatchBody, offset: number, length: number | undefined, signal?: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { "content-type": "application/octet-stream" };
    if (length !== undefined) {
      headers["content-range"] = `${offset}-${offset + length - 1}`;
      headers["content-length"] = String(length);
    }
    // A PATCH body may be a stream that only a stall should end, however long the whole body takes to send.
    // ECR answers an accepted chunk 201 (registry-quirks row 1). Its Range is not read: the uploader keeps the
    // offset itself, as ECR's stops advancing (row 3); only a status query after a failure asks the registry.
    const response = await this.#send("PATCH", [201, 202], signal, body, headers);
    this.#follow(response, "PATCH");
  }

  /** Completes the upload (`PUT ?digest=`), with the last bytes or none; returns the registry's digest, if sent. */
  async complete(
    digest: string,
    signal?: AbortSignal,
    body?: Uint8Array | Blob | StreamedBody,
  ): Promise<string | undefined> {
    const url = new URL(this.location);
    // Appended raw: re-serializing the query would re-encode the opaque `_state` the registry gave us.
    url.search = `${url.search ? `${url.search}&` : "?"}digest=${encodeURIComponent(digest)}`;
    const headers: Record<string, string> = { "content-type": "application/octet-stream" };
    // A streamed body says its length, so the registry sees a plain request rather than a chunked one.
    if (body && "streamed" in body) headers["content-length"] = String(body.length);
    const sent = body && "streamed" in body ? body.streamed : body;
    const response = await this.#send("PUT", [201, 204], signal, sent ?? new Uint8Array(0), headers, url);
    return response.headers.get("docker-content-digest") ?? undefined;
  }

  /**
   * Asks the registry how much of the upload it holds (`GET <location>`: 204 with `Range: 0-<end>` and a new
   * `Location`), for resuming after a failed request. Throws {@link UploadSessionLost} when the session is gone.
   *
   * `Range: 0-0` means no byte or one byte (registries send it for an empty session); `held` then says 0 and
   * `ambiguous` is true. `answer` is the status and URL (without secrets) of the GET that said so.
   */
  async status(
    signal?: AbortSignal,
  ): Promise<{ held: number; ambiguous: boolean; answer: { statusCode: number; url: string } }> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.context.pipeline.send({
        method: "GET",
        url: this.location,
        scope: repositoryScope(this.repository, "pull", "push"),
        signal,
        expect: [200, 204, 404, 416],
      });
      await discard(response);
      if (response.status === 404) throw new UploadSessionLost(await toRegistryError(response, "GET", this.location));
      if (response.status === 416) {
        // The registry is still finishing the request that was cut off (it has not seen the end of its body yet).
        if (attempt >= STATUS_BUSY_ATTEMPTS) throw await toRegistryError(response, "GET", this.location);
        await sleep(this.context.retry.backoff(attempt), signal);
        continue;
      }
      const range = parseUploadRange(response.headers.get("range"));
      if (!range || range.start !== 0) {
        throw new RegistryError({
          statusCode: response.status,
          method: "GET",
          url: redactUrl(this.location),
          message: `GET ${redactUrl(this.location)}: the registry answered the upload status without a valid Range`,
        });
      }
      const answer = { statusCode: response.status, url: redactUrl(this.location) };
      this.#follow(response, "GET");
      return range.end === 0 ? { held: 0, ambiguous: true, answer } : { held: range.end + 1, ambiguous: false, answer };
    }
  }

  /** Abandons the session (`DELETE`), best effort: it must not hide the error that caused it. */
  async cancel(): Promise<void> {
    await this.#send("DELETE", [204, 202, 200, 404], AbortSignal.timeout(CANCEL_TIMEOUT_MS)).catch(() => undefined);
  }

  async #send(
    method: "PATCH" | "PUT" | "DELETE",
    expect: number[],
    signal: AbortSignal | undefined,
    body?: PatchBody,
    headers?: Record<string, string>,
    url = this.location,
  ): Promise<Response> {
    const response = await this.context.pipeline.send({
      method,
      url,
      scope: repositoryScope(this.repository, "pull", "push"),
      headers,
      body: body as BodyInit | undefined,
      signal,
      // A repeated PATCH or PUT would append twice or hit a closed session: resuming is decided above, not here.
      idempotent: method === "DELETE",
      expect,
    });
    await discard(response);
    return response;
  }

  #follow(response: Response, method: string): void {
    const location = response.headers.get("location");
    if (!location) {
      throw new RegistryError({
        statusCode: response.status,
        method,
        url: redactUrl(this.location),
        message: `${method} ${redactUrl(this.location)}: the registry answered ${response.status} without a Location for the upload session`,
      });
    }
    const next = new URL(location, this.location);
    // The session URL receives our token, so it must stay on the registry's origin.
    if (next.origin !== this.context.endpoint.origin) {
      throw new RegistryError({
        statusCode: response.status,
        method,
        url: redactUrl(this.location),
        message: `${method} ${redactUrl(this.location)}: refused an upload Location on another origin (${next.origin})`,
      });
    }
    this.location = next;
  }
}
