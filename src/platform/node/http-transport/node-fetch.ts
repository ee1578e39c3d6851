/**
 * acrkit/node's default fetch on Node: the fetch semantics acrkit's transport relies on, sent on node:http and
 * node:https with keep-alive agents. Node's own fetch (undici) costs about 1 ms of CPU for a small GET where
 * node:https costs 0.4 ms (bench/README, "The metadata path"), which made a metadata call slower than the Azure SDK's.
 *
 * What it does as fetch does: Accept and Accept-Encoding when missing, Content-Length and Content-Type from the body,
 * the response decoded (gzip, deflate, br), every header line kept, null bodies for HEAD, 204 and 304, 1xx skipped,
 * an abort rejecting with the signal's reason, a failure to connect or a broken answer as a TypeError. Where it
 * differs: only `redirect: "manual"` requests over http(s) are sent here, anything else goes to the global fetch; a
 * redirect is returned as it came, 3xx status and Location, for the core to follow (redirect-policy.ts); no cache;
 * byte bodies are not copied.
 * @module
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { agentFor } from "./agents";
import { outgoingBody, writeStream } from "./outgoing-body";
import { requestHeaders } from "./request-headers";
import { toResponse, type Answer } from "./response";

/** Methods fetch upper-cases ("normalize a method"); any other is sent as written. */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/**
 * Sends one request as `fetch(input, init)` would, on node:http(s). `init` wins over a Request's own members, so a
 * Request built from an init can come with it (the body's length is then read from the init's body).
 */
export function nodeFetch(input: URL | Request, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : undefined;
  const url = request ? new URL(request.url) : input instanceof URL ? input : new URL(String(input));
  const redirect = init?.redirect ?? request?.redirect ?? "follow";
  // Following redirects is the global fetch's work; acrkit's transport asks for manual ones only.
  if (redirect !== "manual" || (url.protocol !== "http:" && url.protocol !== "https:"))
    return globalThis.fetch(input, init);
  const signal = init?.signal ?? request?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (url.username || url.password) return Promise.reject(new TypeError("fetch refuses a URL with credentials in it"));
  const written = init?.method ?? request?.method ?? "GET";
  const method = NORMALIZED_METHODS.has(written.toUpperCase()) ? written.toUpperCase() : written;
  const body = outgoingBody(init && "body" in init ? init.body : request?.body);
  if (body && (method === "GET" || method === "HEAD"))
    return Promise.reject(new TypeError(`a ${method} request cannot have a body`));
  const https = url.protocol === "https:";
  const headers = requestHeaders(init?.headers ?? request?.headers, https, body);
  // As fetch: an empty POST or PUT says so (Node would do the same; said here so that it does not depend on that).
  if (!body && (method === "POST" || method === "PUT")) headers["content-length"] ??= "0";
  return new Promise((resolve, reject) => {
    // One abort listener for the whole exchange: before the answer it rejects, after it it fails the body.
    let answer: Answer | undefined;
    let rejected = false;
    const onAbort = () => {
      if (answer) answer.body?.fail(signal!.reason);
      else {
        rejected = true;
        sent.destroy();
        reject(signal!.reason);
      }
    };
    const release = () => signal?.removeEventListener("abort", onAbort);
    const failed = (error: unknown) => {
      if (answer || rejected) return;
      rejected = true;
      release();
      reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
    };
    const answered = (incoming: IncomingMessage) => {
      if (rejected) return void incoming.destroy();
      try {
        answer = toResponse(incoming, method, url, release);
      } catch (error) {
        incoming.destroy();
        failed(error);
        return;
      }
      if (!answer.body) release();
      // A server that answers before it read the whole request body will not read the rest: the connection ends
      // with the answer, and the body's stream is cancelled by the write that fails.
      if (!sent.writableFinished)
        incoming.once("end", () => {
          if (!sent.writableFinished) sent.destroy();
        });
      resolve(answer.response);
    };
    let sent: ClientRequest;
    try {
      sent = (https ? httpsRequest : httpRequest)(url, { agent: agentFor(https), method, headers });
    } catch (error) {
      // Node refuses some header values Headers allows (control characters): its message names the header only.
      failed(error);
      return;
    }
    // Answered on the next tick: by then the parser has read whatever came with the headers, so a small body that
    // came whole can be handed over as bytes (response.ts).
    sent.on("response", (incoming: IncomingMessage) => process.nextTick(answered, incoming));
    sent.on("error", failed);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (!body) sent.end();
    else if (body.text !== undefined) sent.end(body.text, "utf8");
    else if (body.bytes) sent.end(body.bytes);
    else void writeStream(body.stream!, sent);
  });
}
