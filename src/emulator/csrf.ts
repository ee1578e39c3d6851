/**
 * Harbor's CSRF check (registry-quirks row 36): answers set session cookies, and a /v2 write that sends a cookie
 * back is refused 403 `FORBIDDEN` "CSRF token invalid".
 * @module
 */
import { errorResponse } from "./errors";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The 403 for a /v2 write carrying a cookie, or undefined. */
export function csrfRefusal(request: Request, url: URL): Response | undefined {
  if (!WRITES.has(request.method) || !url.pathname.startsWith("/v2/") || !request.headers.has("cookie"))
    return undefined;
  return errorResponse(403, "FORBIDDEN", "CSRF token invalid");
}

/** Sets Harbor's session cookies on an answer. */
export function setSessionCookies(response: Response): void {
  response.headers.append("Set-Cookie", `sid=${crypto.randomUUID()}; Path=/; HttpOnly`);
  response.headers.append("Set-Cookie", `_gorilla_csrf=${crypto.randomUUID()}; Path=/; HttpOnly; SameSite=Strict`);
}
