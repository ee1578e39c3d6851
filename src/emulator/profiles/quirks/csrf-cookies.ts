/**
 * Quirk (registry-quirks row 36, Harbor): answers set `sid` and `_gorilla_csrf` cookies, and a /v2 write that sends
 * them back gets 403 `FORBIDDEN` "CSRF token invalid": a client must not keep a cookie jar.
 * @module
 */
import type { Quirk } from "../profile";

/** Cookies on answers; a write carrying a Cookie answers 403. */
export const csrfCookies: Quirk = (profile) => ({ ...profile, auth: { ...profile.auth, csrfCookies: true } });
