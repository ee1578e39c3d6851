/**
 * Quirk (registry-quirks row 51, zot before 2022): a blob GET ignores `Range` and answers 200 with the whole blob.
 * @module
 */
import type { Quirk } from "../profile";

/** Blob GETs ignore `Range`. */
export const rangeIgnored: Quirk = (profile) => ({ ...profile, answers: { ...profile.answers, rangeIgnored: true } });
