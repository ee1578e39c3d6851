/**
 * An OCI upload session: its start, its moving `Location`, chunk PATCHes, completion and cancellation.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { RegistryError } from "../errors/registry-error";
import { redactUrl } from "../http/redact";
import { discard } from "../pipeline";
import { registryUrl, type OperationContext } from "../registry/context";

/** How long a best-effort cancellation of an abandoned session may take. */
const CANCEL_TIMEOUT_MS = 5_000;

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
