/**
 * One registry request end to end: authorization, transport, the 401 challenge, safe redirects, status check.
 * @module
 */
import type { Authenticator } from "./auth/authenticator";
import { RegistryError } from "./errors/registry-error";
import { redactUrl } from "./http/redact";
import { toRegistryError } from "./http/response-error";
import type { Transport } from "./http/transport";

/** A request to the registry, described by the operation that sends it. */
export interface RegistryRequest {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: URL;
  /** The access scope the request needs, e.g. `repository:app:pull`. */
  scope: string;
  headers?: Record<string, string>;
  /** A body that can be sent again (never a one-shot stream): the 401 retry resends it. */
  body?: BodyInit;
  signal?: AbortSignal;
  /** Whether the request may be retried after a failure; by default GET, HEAD, PUT and DELETE may. */
  idempotent?: boolean;
  /** Statuses the caller handles; any other becomes a RegistryError. */
  expect: readonly number[];
  /** Follow redirects by hand, never carrying `Authorization` to another origin. For GET and HEAD. */
  followRedirects?: boolean;
  /** Per-attempt timeout override in milliseconds, or false. */
  timeout?: number | false;
  /** The body is a blob of any length: only a stall (no bytes for the timeout) ends it, not its total duration. */
  stream?: boolean;
}

/** The most redirects one request follows. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** Sends registry requests with authorization and returns responses whose status the caller expects. */
export class Pipeline {
  constructor(
    private readonly transport: Transport,
    private readonly authenticator: Authenticator,
  ) {}

  /** Sends the request, answering one 401 challenge, and checks the final status. */
  async send(request: RegistryRequest): Promise<Response> {
    let authorization = await this.authenticator.authorize(request.scope, request.signal);
    let response = await this.#attempt(request, authorization);
    if (response.status === 401) {
      const retryWith = await this.authenticator.onChallenge(response, request.scope, authorization, request.signal);
      if (retryWith !== undefined) {
        await discard(response);
        authorization = retryWith;
        response = await this.#attempt(request, authorization);
      }
    }
    if (request.followRedirects && isRedirect(response)) {
      response = await this.#followRedirects(request, response, authorization);
    }
    if (!request.expect.includes(response.status)) {
      throw await toRegistryError(response, request.method, request.url);
    }
    return response;
  }

  #attempt(request: RegistryRequest, authorization: string | undefined, url = request.url): Promise<Response> {
    const headers = new Headers(request.headers);
    if (authorization) headers.set("authorization", authorization);
    return this.transport.send({
      method: request.method,
      url,
      headers,
      body: request.body,
      signal: request.signal,
      idempotent: request.idempotent ?? IDEMPOTENT_METHODS.has(request.method),
      redirect: request.followRedirects ? "manual" : "follow",
      timeout: request.timeout,
      stream: request.stream,
    });
  }

  async #followRedirects(request: RegistryRequest, first: Response, authorization: string | undefined): Promise<Response> {
    // A browser hides the target of a manual redirect; it follows itself and drops Authorization across origins.
    if (first.type === "opaqueredirect") {
      return this.transport.send({ ...request, headers: withAuthorization(request.headers, authorization), redirect: "follow", idempotent: true });
    }
    let response = first;
    let url = request.url;
    for (let hop = 0; isRedirect(response); hop++) {
      const location = response.headers.get("location");
      if (!location || hop >= MAX_REDIRECTS) {
        throw redirectError(request, response, location ? `more than ${MAX_REDIRECTS} redirects` : "a redirect without a Location");
      }
      await discard(response);
      const next = new URL(location, url);
      if (next.protocol !== "https:" && next.protocol !== "http:") throw redirectError(request, response, `a redirect to ${next.protocol}`);
      if (url.protocol === "https:" && next.protocol === "http:") throw redirectError(request, response, "a redirect from https to http");
      // Registry credentials must never reach storage or any other origin the registry sends us to.
      const sameOrigin = next.origin === request.url.origin;
      url = next;
      response = await this.#attempt(request, sameOrigin ? authorization : undefined, url);
    }
    return response;
  }
}

function isRedirect(response: Response): boolean {
  return REDIRECT_STATUSES.has(response.status) || response.type === "opaqueredirect";
}

function withAuthorization(headers: Record<string, string> | undefined, authorization: string | undefined): Headers {
  const result = new Headers(headers);
  if (authorization) result.set("authorization", authorization);
  return result;
}

function redirectError(request: RegistryRequest, response: Response, problem: string): RegistryError {
  return new RegistryError({
    statusCode: response.status,
    method: request.method,
    url: redactUrl(request.url),
    message: `${request.method} ${redactUrl(request.url)}: refused ${problem}`,
  });
}

/** Releases a response body we will not read, so the connection can be reused. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
