/**
 * The one path of every request acrkit sends, the registry's and the token service's alike: redirects by the redirect
 * policy, retries by the retry policy (the body read included), and each failure as a typed error.
 * @module
 */
import { throwIfAborted, sleep } from "../utils/abort";
import { discard } from "./discard";
import { isRedirect, redirectedMethod, redirectTarget, refusedRedirect } from "./redirect-policy";
import { toRegistryError } from "./response-error";
import type { AttemptFailure, RetryPolicy } from "./retry-policy";
import type { SecretStore } from "./secret-store";
import type { Transport } from "./transport";

/** One request, as an operation or the token service describes it. */
export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Headers;
  /** A body that can be sent again (bytes or a string); a stream is sent once and never retried or redirected. */
  body?: BodyInit;
  signal?: AbortSignal;
  /** Whether the request may be sent again after a failure. */
  idempotent: boolean;
  /** Statuses the caller handles; any other becomes a RegistryError once retries (where allowed) are spent. */
  expect: readonly number[];
  /** Overrides the client's timeout (time to headers, and the longest stall of the body), in milliseconds, or false. */
  timeout?: number | false;
  /** The response body is a blob of any length: only a stall ends it, not its total duration. */
  stream?: boolean;
}

/** Reads what the caller needs from a response whose status it expects; a read that breaks off is retried too. */
export type ResponseReader<T> = (response: Response) => Promise<T> | T;

/** What one attempt came to: the caller's value, or a failure to retry or throw. */
type Attempt<T> = { value: T } | { failure: AttemptFailure; error: () => Promise<unknown> };

/** Sends requests through the client's redirect and retry policies. */
export class Requester {
  /**
   * @param transport - sends single attempts
   * @param retry - the client's retry policy
   * @param secrets - the secrets the client holds, kept out of every error built from a server's answer
   */
  constructor(
    private readonly transport: Transport,
    private readonly retry: RetryPolicy,
    readonly secrets: SecretStore,
  ) {}

  /** Sends the request and returns the response (its body unread), once its status is one the caller expects. */
  send(request: HttpRequest): Promise<Response> {
    return this.exchange(request, (response) => response);
  }

  /**
   * Sends the request and reads its response with `read`; when the request is idempotent, a failure while reading
   * (a reset or a stall of the body) is retried like a failure to get the response.
   */
  async exchange<T>(request: HttpRequest, read: ResponseReader<T>): Promise<T> {
    const run = this.retry.begin(request.idempotent && !(request.body instanceof ReadableStream));
    for (;;) {
      throwIfAborted(request.signal);
      const attempt = await this.#attempt(request, read);
      if ("value" in attempt) return attempt.value;
      if (request.signal?.aborted) throw request.signal.reason;
      const delay = run.next(attempt.failure);
      if (delay === undefined) throw await attempt.error();
      await sleep(delay, request.signal);
    }
  }

  async #attempt<T>(request: HttpRequest, read: ResponseReader<T>): Promise<Attempt<T>> {
    let response: Response;
    try {
      response = await this.#follow(request);
    } catch (error) {
      return { failure: { error }, error: async () => error };
    }
    if (!request.expect.includes(response.status)) {
      const answer = response;
      return {
        failure: { status: answer.status, retryAfter: answer.headers.get("retry-after") },
        // Read only when it is thrown: a response that is retried is released instead.
        error: () => toRegistryError(answer, request.method, request.url, this.secrets),
      };
    }
    try {
      return { value: await read(response) };
    } catch (error) {
      await discard(response);
      return { failure: { error }, error: async () => error };
    }
  }

  /** Sends one attempt and follows its redirects by the policy; `Authorization` never leaves the request's origin. */
  async #follow(request: HttpRequest): Promise<Response> {
    let { method, url, headers, body } = request;
    const send = (redirect: RequestRedirect) =>
      this.transport.send({
        method,
        url,
        headers,
        body,
        redirect,
        signal: request.signal,
        timeout: request.timeout,
        stream: request.stream,
      });
    for (let hops = 0; ; hops++) {
      const response = await send("manual");
      if (!isRedirect(response)) return response;
      // A browser hides the target of a manual redirect: it follows by itself, and its fetch drops Authorization
      // across origins and refuses a downgrade from a secure page.
      if (response.type === "opaqueredirect") return send("follow");
      const next = redirectTarget(response, url, hops, request.method, request.url);
      await discard(response);
      const redirected = redirectedMethod(response.status, method);
      if (redirected.keepBody && body instanceof ReadableStream) {
        throw refusedRedirect(
          response.status,
          request.method,
          request.url,
          "a redirect of a streamed body, which cannot be sent twice",
        );
      }
      method = redirected.method;
      if (!redirected.keepBody) body = undefined;
      if (next.origin !== request.url.origin && headers?.has("authorization")) {
        headers = new Headers(headers);
        headers.delete("authorization");
      }
      url = next;
    }
  }
}
