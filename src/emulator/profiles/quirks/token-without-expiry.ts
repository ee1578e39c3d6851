/**
 * Quirk (registry-quirks rows 45, 63, Gitea): the token answer is only `{"token": …}`, without `expires_in`.
 * @module
 */
import type { Quirk } from "../profile";

/** Token answers lack expires_in. */
export const tokenWithoutExpiry: Quirk = (profile) => ({
  ...profile,
  auth: { ...profile.auth, tokenExpiresIn: false },
});
