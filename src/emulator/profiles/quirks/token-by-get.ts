/**
 * Quirk (registry-quirks row 63): a token server without OAuth2 `POST` (it answers 404); tokens come by `GET` with
 * Basic credentials or none.
 * @module
 */
import type { Quirk } from "../profile";

/** The token endpoint answers POST with 404. */
export const tokenByGet: Quirk = (profile) => ({ ...profile, auth: { ...profile.auth, tokenPost: false } });
