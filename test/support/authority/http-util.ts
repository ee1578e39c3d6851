/**
 * Small HTTP helpers shared by the authority and the managed identity endpoint.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";

/** An OAuth error response (RFC 6749 §5.2) with Entra ID's extra fields. */
export class OAuthError extends Error {
  override name = "OAuthError";
  /**
   * @param status - HTTP status
   * @param error - the OAuth `error` code, e.g. `invalid_client`
   * @param description - `error_description`, prefixed with an AADSTS code like Entra ID's; never holds a secret
   * @param code - the numeric AADSTS code
   */
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly code: number,
  ) {
    super(`${error}: ${description}`);
  }
}

/** One request the server saw, for assertions. */
export interface LoggedRequest {
  /** When it arrived (ms since the epoch). */
  time: number;
  method: string;
  /** Path without the query. */
  path: string;
  /** What it hit: `discovery`, `jwks`, `instance-discovery`, `token`, `devicecode`, `authorize`, `managed-identity`, ... */
  endpoint: string;
  /** The tenant path segment, when there is one. */
  tenant?: string;
  /** `grant_type` of token requests. */
  grantType?: string;
  /** `client_id` of the request, when it named one. */
  clientId?: string;
  /** The response status. */
  status: number;
}

/** Reads the whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Sends a JSON body with no-store caching, as token endpoints must. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** Sends an {@link OAuthError} in Entra ID's JSON shape. */
export function sendOAuthError(res: ServerResponse, err: OAuthError): void {
  const traceId = randomUUID();
  sendJson(res, err.status, {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description} Trace ID: ${traceId}`,
    error_codes: [err.code],
    timestamp: new Date().toISOString(),
    trace_id: traceId,
    correlation_id: randomUUID(),
  });
}

/** Escapes text for HTML attributes and content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
