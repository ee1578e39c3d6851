/**
 * Quirk (registry-quirks row 1, ECR): an accepted PATCH answers 201 Created instead of 202 Accepted.
 * @module
 */
import type { Quirk } from "../profile";

/** PATCH answers 201. */
export const patch201: Quirk = (profile) => ({ ...profile, uploads: { ...profile.uploads, chunkStatus: 201 } });
