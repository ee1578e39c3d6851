/**
 * The fetch wrapper that hands OCI Warning headers to the client's `onWarning`; warning.ts, the parser, is imported only by
 * transports that have a handler.
 * @module
 */
import type { FetchLike } from "./fetch-like";
import type { WarningHandler } from "./warning";

/** A fetch that hands OCI Warning headers to `handler`; the parser is loaded only by clients that ask for warnings. */
export function warningFetch(fetch: FetchLike, handler: WarningHandler): FetchLike {
  const reporting = import("./warning").then((warning) => warning.reportingWarnings(fetch, handler));
  return async (input, init) => (await reporting)(input, init);
}
