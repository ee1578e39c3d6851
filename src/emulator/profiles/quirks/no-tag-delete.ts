/**
 * Quirk: a manifest DELETE by tag is refused, by 400 `DIGEST_INVALID` (distribution, registry-quirks row 53) or
 * 405 `UNSUPPORTED` (GHCR row 16, Docker Hub row 21).
 * @module
 */
import { ociRefusal, type Quirk } from "../profile";

/** DELETE by tag answers `status` (400 DIGEST_INVALID or 405 UNSUPPORTED). */
export function noTagDelete(status: 400 | 405): Quirk {
  const refusal =
    status === 400
      ? ociRefusal(400, "DIGEST_INVALID", "provided digest did not match uploaded content")
      : ociRefusal(405, "UNSUPPORTED", "The operation is unsupported.");
  return (profile) => ({ ...profile, answers: { ...profile.answers, tagDelete: refusal } });
}
