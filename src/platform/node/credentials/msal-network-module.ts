/**
 * acrkit's own name for the HTTP client MSAL sends its authority requests through. acrkit's declarations do not
 * import `@azure/msal-node`'s types: a CommonJS consumer could not compile those with skipLibCheck off. MSAL's
 * `INetworkModule` fits this interface, and every module that fits it fits MSAL.
 * @module
 */

/** What MSAL asks a network module to send: the headers and, for POST, the URL-encoded body. */
export interface MsalNetworkRequestOptions {
  /** The request headers. */
  headers?: Record<string, string>;
  /** The request body (POST). */
  body?: string;
}

/** A network module's answer to MSAL: headers (lower-case names), the body parsed from JSON, and the status. */
export interface MsalNetworkResponse<T> {
  /** The response headers, by lower-case name. */
  headers: Record<string, string>;
  /** The response body, parsed from JSON. */
  body: T;
  /** The HTTP status code. */
  status: number;
}

/** An HTTP client for MSAL's requests to the authority (MSAL's `INetworkModule`): proxies, custom TLS, tests. */
export interface MsalNetworkModule {
  /** Sends a GET request; `timeout` (ms) is MSAL's own limit for the call. */
  sendGetRequestAsync<T>(
    url: string,
    options?: MsalNetworkRequestOptions,
    timeout?: number,
  ): Promise<MsalNetworkResponse<T>>;
  /** Sends a POST request. */
  sendPostRequestAsync<T>(url: string, options?: MsalNetworkRequestOptions): Promise<MsalNetworkResponse<T>>;
}
