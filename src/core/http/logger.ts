/** One line about one HTTP request, as given to a {@link Logger}. */
export interface RequestLogEntry {
  /** The HTTP method, e.g. `GET`. */
  method: string;
  /** The URL without secrets. */
  url: string;
  /** The HTTP status, or 0 when no response came. */
  status: number;
  /** How long the request took until its headers arrived, in milliseconds. */
  durationMs: number;
  /**
   * The response's `Warning` header values as sent (OCI 1.1 registries send `299 - "text"` for deprecations), when it
   * had any; the client's `onWarning` receives them parsed.
   */
  warnings?: string[];
}

/** Receives one entry per HTTP request. Never given a token, a password or a SAS signature. */
export type Logger = (entry: RequestLogEntry) => void;
