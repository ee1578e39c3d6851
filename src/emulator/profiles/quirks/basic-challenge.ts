/**
 * Quirk (registry-quirks row 11, ECR): the challenge is `Basic`, not Bearer; every request carries the credential.
 * @module
 */
import type { Quirk } from "../profile";

/** 401 answers challenge with `Basic realm=…`. */
export const basicChallenge: Quirk = (profile) => ({ ...profile, auth: { ...profile.auth, scheme: "Basic" } });
