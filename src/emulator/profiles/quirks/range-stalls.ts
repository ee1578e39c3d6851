/**
 * Quirk (registry-quirks row 3, ECR): after the second PATCH the `Range` of PATCH answers stops advancing, although
 * every chunk is stored; a client that takes its next offset from it re-sends the wrong bytes.
 * @module
 */
import type { Quirk } from "../profile";

/** PATCH answers keep the `Range` of the second PATCH from then on. */
export const rangeStalls: Quirk = (profile) => ({ ...profile, uploads: { ...profile.uploads, rangeStallsAfter: 2 } });
