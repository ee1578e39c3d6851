/**
 * A registry request end to end: authorization, then the requester (redirects, retries, typed errors), then one
 * answer to a 401 challenge.
 * @module
 */
import type { Authenticator } from "./authenticator";
import type { AuthenticationError } from "../errors/authentication-error";
import { discard } from "../http/discard";
import type { Requester, ResponseReader } from "../http/requester";
import { toAuthenticationError } from "../http/response-error";

/** A request to the registry, described by the operation that sends it. */
export interface RegistryRequest {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: URL;
  /** The access scope the request needs, e.g. `repository:app:pull`. */
  scope: string;
  headers?: Record<string, string>;
  /** A body that can be sent again (never a one-shot stream, unless the request is not idempotent). */
  body?: BodyInit;
  signal?: AbortSignal;
  /** Whether the request may be retried after a failure; by default GET, HEAD, PUT and DELETE may. */
  idempotent?: boolean;
  /** Statuses the caller handles; any other becomes a RegistryError (a final 401: an AuthenticationError). */
  expect: readonly number[];
  /** Per-attempt timeout override in milliseconds, or false. */
  timeout?: number | false;
  /** The body is a blob of any length: only a stall (no bytes for the timeout) ends it, not its total duration. */
  stream?: boolean;
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** What an exchange came to: the caller's value, or a 401 to answer. */
type Outcome<T> = { value: T } | { challenge: Response };

/** Sends registry requests with authorization and returns what the caller reads from responses it expects. */
export class Pipeline {
  constructor(
    private readonly requester: Requester,
    private readonly authenticator: Authenticator,
  ) {}

  /** Sends the request and returns the response, its body unread. */
  send(request: RegistryRequest): Promise<Response> {
    return this.read(request, (response) => response);
  }

  /**
   * Sends a request without credentials, to a URL a registry redirected to (object storage: a signed URL carries its
   * own authorization), through the same redirect and retry policies; returns the response, its body unread.
   */
  sendUnauthorized(request: Omit<RegistryRequest, "scope">): Promise<Response> {
    return this.requester.send({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: request.body,
      signal: request.signal,
      idempotent: request.idempotent ?? IDEMPOTENT_METHODS.has(request.method),
      expect: request.expect,
      timeout: request.timeout,
      stream: request.stream,
    });
  }

  /**
   * Sends the request, answering one 401 challenge, and reads the expected response with `read`, within the retries
   * the request is allowed (a body that breaks off mid-read is fetched again when the request is idempotent).
   */
  async read<T>(request: RegistryRequest, read: ResponseReader<T>): Promise<T> {
    const first = await this.authenticator.authorize(request.scope, request.signal);
    let answered = false;
    let challenge: Response;
    let retryWith: string | undefined;
    try {
      const outcome = await this.#exchange(request, first.authorization, read);
      answered = true;
      if ("value" in outcome) return outcome.value;
      challenge = outcome.challenge;
      retryWith = await this.authenticator.onChallenge(challenge, request.scope, first.authorization, request.signal);
    } finally {
      // Requests that waited for this one to learn the registry's challenge go on now, with what it learned.
      first.done(answered);
    }
    if (retryWith === undefined) throw await this.#refusal(request, challenge, first.authorization);
    await discard(challenge);
    const second = await this.#exchange(request, retryWith, read);
    if ("challenge" in second) throw await this.#refusal(request, second.challenge, retryWith);
    return second.value;
  }

  #exchange<T>(
    request: RegistryRequest,
    authorization: string | undefined,
    read: ResponseReader<T>,
  ): Promise<Outcome<T>> {
    const handles401 = request.expect.includes(401);
    const headers = new Headers(request.headers);
    if (authorization) headers.set("authorization", authorization);
    return this.requester.exchange<Outcome<T>>(
      {
        method: request.method,
        url: request.url,
        headers,
        body: request.body,
        signal: request.signal,
        idempotent: request.idempotent ?? IDEMPOTENT_METHODS.has(request.method),
        expect: handles401 ? request.expect : [...request.expect, 401],
        timeout: request.timeout,
        stream: request.stream,
      },
      async (response) =>
        response.status === 401 && !handles401 ? { challenge: response } : { value: await read(response) },
    );
  }

  #refusal(
    request: RegistryRequest,
    response: Response,
    authorization: string | undefined,
  ): Promise<AuthenticationError> {
    const problem = authorization ? "the registry refused the credential" : "the registry requires a credential";
    return toAuthenticationError(response, request.method, request.url, request.scope, problem, this.requester.secrets);
  }
}
