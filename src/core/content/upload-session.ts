/**
 * An OCI upload session: its start, its moving `Location`, chunk PATCHes, completion and cancellation.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { RegistryError } from "../errors/registry-error";
import { redactUrl } from "../http/redact";
import { toRegistryError } from "../http/response-error";
import { discard } from "../http/discard";
import { registryUrl, type OperationContext } from "../registry/context";
import { sleep } from "../utils/abort";
import { parseUploadRange } from "./content-range";

/** How long a best-effort cancellation of an abandoned session may take. */
const CANCEL_TIMEOUT_MS = 5_000;
/** How often, and how patiently, a status query waits for a registry still busy with a cut-off request. */
const STATUS_BUSY_ATTEMPTS = 10;
const STATUS_BUSY_DELAY_MS = 50;

/** The registry no longer knows the upload session (404 on its status): the upload must start over. */
export class UploadSessionLost extends Error {
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
  private constructor(
    private readonly context: OperationContext,
    private readonly repository: string,
    public location: URL,
  ) {}

  /** Opens a session (`POST /v2/<name>/blobs/uploads/`). */
  static async start(context: OperationContext, repository: string, signal?: AbortSignal): Promise<UploadSession> {
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
    return UploadSession.adopt(context, repository, response, url, "POST");
  }

  /**
   * Takes over a session the registry opened on its own, e.g. a mount it answered with 202: `response` is that
   * answer, and its `Location` names the session.
   */
  static adopt(context: OperationContext, repository: string, response: Response, requestUrl: URL, method: string): UploadSession {
    const session = new UploadSession(context, repository, requestUrl);
    session.#follow(response, method);
    return session;
  }

  /** Sends one chunk that starts at `offset` (`PATCH` with `Content-Range`). */
  async append(chunk: Uint8Array, offset: number, signal?: AbortSignal): Promise<void> {
    const response = await this.#send("PATCH", [202], signal, chunk, {
      "content-type": "application/octet-stream",
      "content-range": `${offset}-${offset + chunk.byteLength - 1}`,
    });
    this.#follow(response, "PATCH");
  }

  /** Completes the upload (`PUT ?digest=`), with the last bytes or none; returns the registry's digest, if sent. */
  async complete(digest: string, signal?: AbortSignal, body?: Uint8Array): Promise<string | undefined> {
    const url = new URL(this.location);
    // Appended raw: re-serializing the query would re-encode the opaque `_state` the registry gave us.
    url.search = `${url.search ? `${url.search}&` : "?"}digest=${encodeURIComponent(digest)}`;
    const response = await this.#send("PUT", [201, 204], signal, body ?? new Uint8Array(0), { "content-type": "application/octet-stream" }, url);
    return response.headers.get("docker-content-digest") ?? undefined;
  }

  /**
   * Asks the registry how much of the upload it holds (`GET <location>`: 204 with `Range: 0-<end>` and a new
   * `Location`), for resuming after a failed request. Throws {@link UploadSessionLost} when the session is gone.
   *
   * `Range: 0-0` means no byte or one byte (registries send it for an empty session); `held` then says 0 and
   * `ambiguous` is true.
   */
  async status(signal?: AbortSignal): Promise<{ held: number; ambiguous: boolean }> {
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
        await sleep(STATUS_BUSY_DELAY_MS * attempt, signal);
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
      this.#follow(response, "GET");
      return range.end === 0 ? { held: 0, ambiguous: true } : { held: range.end + 1, ambiguous: false };
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
    body?: Uint8Array,
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
