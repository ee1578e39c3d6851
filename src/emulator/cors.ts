/**
 * Opt-in CORS, so browser clients can reach the emulator (real ACR sends no CORS headers).
 * @module
 */
import type { EmulatorOptions } from "./types";

const ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const ALLOW_HEADERS =
  "Authorization, Accept, Content-Type, Content-Range, Content-Length, Range, Docker-Content-Digest";
const EXPOSE_HEADERS = [
  "Docker-Content-Digest",
  "Docker-Distribution-Api-Version",
  "Location",
  "Link",
  "Range",
  "Content-Range",
  "Content-Length",
  "WWW-Authenticate",
  "Docker-Upload-UUID",
  "OCI-Subject",
  "OCI-Filters-Applied",
  "OCI-Chunk-Min-Length",
  "Warning",
].join(", ");

/** The allowed origin for a request, or undefined when CORS is off or the origin is not listed. */
function allowedOrigin(request: Request, cors: EmulatorOptions["cors"]): string | undefined {
  if (!cors) return undefined;
  const origin = request.headers.get("origin");
  if (cors === true) return origin ?? "*";
  return origin !== null && cors.origins.includes(origin) ? origin : undefined;
}

/** True when the request is a CORS preflight the emulator should answer without authentication. */
export function isPreflight(request: Request, cors: EmulatorOptions["cors"]): boolean {
  return Boolean(cors) && request.method === "OPTIONS";
}

/** The answer to a preflight: 204 with the allowed methods and headers (requested headers are echoed too). */
export function preflight(request: Request): Response {
  const requested = request.headers.get("access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      "Access-Control-Allow-Methods": ALLOW_METHODS,
      "Access-Control-Allow-Headers": requested ? `${ALLOW_HEADERS}, ${requested}` : ALLOW_HEADERS,
      "Access-Control-Max-Age": "600",
    },
  });
}

/** Adds the CORS response headers every answer needs when the origin is allowed. */
export function applyCors(request: Request, response: Response, cors: EmulatorOptions["cors"]): void {
  const origin = allowedOrigin(request, cors);
  if (origin === undefined) return;
  response.headers.set("Access-Control-Allow-Origin", origin);
  response.headers.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
  if (origin !== "*") response.headers.append("Vary", "Origin");
}
