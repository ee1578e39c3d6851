/**
 * Quirk (registry-quirks rows 30, 62, Quay and zot): the POST that opens a session answers `Range` in a
 * non-standard form for the empty session: `bytes=0--1` (Quay) or `0--1` (zot).
 * @module
 */
import type { Quirk } from "../profile";

/** The empty session's Range is `form`. */
export function openRange(form: "bytes=0--1" | "0--1"): Quirk {
  return (profile) => ({ ...profile, uploads: { ...profile.uploads, openRange: form } });
}
