/**
 * Narrowing a fetched manifest to an image manifest before reading its layers.
 * @module
 */
import { KnownManifestMediaType, type GetManifestResult, type OciImageManifest } from "acrkit/node";

/**
 * The manifest of `result` as an image manifest (OCI or Docker schema 2, which share `config` and `layers`).
 * An index or a manifest list has no layers of its own, so it is refused with the media type it has.
 */
export function imageManifestOf(result: GetManifestResult): OciImageManifest {
  const imageTypes: string[] = [KnownManifestMediaType.OciImageManifest, KnownManifestMediaType.DockerManifest];
  if (!imageTypes.includes(result.mediaType) || !Array.isArray(result.manifest.layers)) {
    throw new TypeError(`${result.digest} is a ${result.mediaType}, not an image manifest with layers`);
  }
  return result.manifest as unknown as OciImageManifest;
}
