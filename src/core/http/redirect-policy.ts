/**
 * Where a redirect may lead: at most {@link MAX_REDIRECTS} hops, http(s) only, never from https down to http.
 * @module
 */
import { RegistryError } from "../errors/registry-error";
import { redactUrl } from "../redaction/redact";

/** The most redirects one request follows. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Whether the response is a redirect to follow (a browser's manual redirect is opaque: its target is hidden). */
export function isRedirect(response: Response): boolean {
  return REDIRECT_STATUSES.has(response.status) || response.type === "opaqueredirect";
}

/**
 * The URL the redirect `response` to a request for `from` leads to, after `hops` redirects already followed; throws a
 * RegistryError naming the reason when the policy refuses it. `original` is the URL the caller asked for, which the
 * error names.
 */
export function redirectTarget(response: Response, from: URL, hops: number, method: string, original: URL): URL {
  const refuse = (problem: string) => refusedRedirect(response.status, method, original, problem);
  if (hops >= MAX_REDIRECTS) throw refuse(`more than ${MAX_REDIRECTS} redirects`);
  const location = response.headers.get("location");
  if (!location) throw refuse("a redirect without a Location");
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw refuse("a redirect to an invalid Location");
  }
  if (next.protocol !== "https:" && next.protocol !== "http:") throw refuse(`a redirect to ${next.protocol}`);
  if (from.protocol === "https:" && next.protocol === "http:") throw refuse("a redirect from https to http");
  return next;
}

/**
 * The method and body of the next hop: 303, and 301/302 after a POST, turn into a GET without a body (as browsers
 * do); 307 and 308 repeat the request as it was.
 */
export function redirectedMethod(status: number, method: string): { method: string; keepBody: boolean } {
  if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
    return { method: method === "HEAD" ? "HEAD" : "GET", keepBody: false };
  }
  return { method, keepBody: true };
}

/** The error of a redirect the policy refuses: a RegistryError with the redirect's status, naming the reason. */
export function refusedRedirect(status: number, method: string, original: URL, problem: string): RegistryError {
  const url = redactUrl(original);
  return new RegistryError({ statusCode: status, method, url, message: `${method} ${url}: refused ${problem}` });
}
