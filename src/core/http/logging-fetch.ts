/**
 * The fetch wrapper that hands every attempt to the client's logger: method, URL and Warning header without secrets,
 * status and duration.
 * @module
 */
import { redactText, redactUrl } from "../redaction/redact";
import type { FetchLike } from "./fetch-like";
import type { Logger, RequestLogEntry } from "./logger";

/** Wraps a fetch so that every attempt, answered or not, is logged once it ends; a throwing logger is ignored. */
export function loggingFetch(baseFetch: FetchLike, logger: Logger): FetchLike {
  // A logger that throws must not turn a good request into a failed one.
  const log = (entry: RequestLogEntry) => {
    try {
      logger(entry);
    } catch {
      // ignored on purpose
    }
  };
  return async (input, init) => {
    const started = Date.now();
    const entry = { method: input.method, url: redactUrl(input.url) };
    try {
      const response = await baseFetch(input, init);
      const warning = response.headers.get("warning");
      log({
        ...entry,
        status: response.status,
        durationMs: Date.now() - started,
        ...(warning ? { warnings: [redactText(warning)] } : {}),
      });
      return response;
    } catch (error) {
      log({ ...entry, status: 0, durationMs: Date.now() - started });
      throw error;
    }
  };
}
