import { VERSION } from "../version";

/** True in a browser or a browser worker, where the User-Agent header is not ours to set. */
export function isBrowserLike(): boolean {
  const agent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  return typeof agent === "string" && agent.startsWith("Mozilla/");
}

/** The User-Agent acrkit sends, or undefined in browsers (it would force a CORS preflight header). */
export function userAgentHeader(suffix?: string): string | undefined {
  if (isBrowserLike()) return undefined;
  return suffix ? `acrkit/${VERSION} ${suffix}` : `acrkit/${VERSION}`;
}
