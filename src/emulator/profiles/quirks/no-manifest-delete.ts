/**
 * Quirk (registry-quirks rows 16, 21): `DELETE /v2/<name>/manifests/<digest>` gets 405 `UNSUPPORTED`; deleting
 * works only through the registry's own web API (GHCR, Docker Hub).
 * @module
 */
import { ociRefusal, type Quirk } from "../profile";

/** Manifest DELETE by digest answers 405 UNSUPPORTED. */
export const noManifestDelete: Quirk = (profile) => ({
  ...profile,
  answers: { ...profile.answers, manifestDelete: ociRefusal(405, "UNSUPPORTED", "The operation is unsupported.") },
});
