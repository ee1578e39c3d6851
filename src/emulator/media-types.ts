/**
 * Manifest and config media types the emulator understands, as the OCI image spec and Docker's schema 2 name them.
 * @module
 */

/** Well-known media types. */
export const MediaType = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociArtifact: "application/vnd.oci.artifact.manifest.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar+gzip",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayer: "application/vnd.docker.image.rootfs.diff.tar.gzip",
} as const;

/** Indexes and lists: their `manifests[]` name other manifests. */
export const INDEX_TYPES: readonly string[] = [MediaType.ociIndex, MediaType.dockerList];

/** Config types whose JSON carries `architecture` and `os`. */
export const IMAGE_CONFIG_TYPES: readonly string[] = [MediaType.ociConfig, MediaType.dockerConfig];

/** True when an `Accept` header admits the media type; absent means anything, `q=0` means refused. */
export function acceptsMediaType(accept: string | null, mediaType: string): boolean {
  if (accept === null || accept.trim() === "") return true;
  const [mainType] = mediaType.split("/");
  return accept.split(",").some((item) => {
    const [range = "", ...params] = item.split(";").map((part) => part.trim().toLowerCase());
    const refused = params.some((param) => /^q=0(\.0*)?$/.test(param));
    const matches = range === "*" || range === "*/*" || range === mediaType || range === `${mainType}/*`;
    return matches && !refused;
  });
}
