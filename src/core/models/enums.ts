/**
 * Enumerations of the ACR API, as const objects with matching union types.
 * @module
 */

/** Orders of a manifest listing. */
export const ArtifactManifestOrder = {
  LastUpdatedOnDescending: "timedesc",
  LastUpdatedOnAscending: "timeasc",
} as const;
/** An order of a manifest listing. */
export type ArtifactManifestOrder = (typeof ArtifactManifestOrder)[keyof typeof ArtifactManifestOrder];

/** Orders of a tag listing. */
export const ArtifactTagOrder = {
  LastUpdatedOnDescending: "timedesc",
  LastUpdatedOnAscending: "timeasc",
} as const;
/** An order of a tag listing. */
export type ArtifactTagOrder = (typeof ArtifactTagOrder)[keyof typeof ArtifactTagOrder];

/** CPU architectures ACR reports; other strings from the service come through unchanged. */
export const ArtifactArchitecture = {
  I386: "386",
  Amd64: "amd64",
  Arm: "arm",
  Arm64: "arm64",
  Mips: "mips",
  MipsLe: "mipsle",
  Mips64: "mips64",
  Mips64Le: "mips64le",
  Ppc64: "ppc64",
  Ppc64Le: "ppc64le",
  RiscV64: "riscv64",
  S390X: "s390x",
  Wasm: "wasm",
} as const;
/** A CPU architecture; any string, with the known values suggested. */
export type ArtifactArchitecture = (typeof ArtifactArchitecture)[keyof typeof ArtifactArchitecture] | (string & {});

/** Operating systems ACR reports; other strings from the service come through unchanged. */
export const ArtifactOperatingSystem = {
  Aix: "aix",
  Android: "android",
  Darwin: "darwin",
  Dragonfly: "dragonfly",
  FreeBsd: "freebsd",
  Illumos: "illumos",
  iOS: "ios",
  JS: "js",
  Linux: "linux",
  NetBsd: "netbsd",
  OpenBsd: "openbsd",
  Plan9: "plan9",
  Solaris: "solaris",
  Windows: "windows",
} as const;
/** An operating system; any string, with the known values suggested. */
export type ArtifactOperatingSystem = (typeof ArtifactOperatingSystem)[keyof typeof ArtifactOperatingSystem] | (string & {});

/** Manifest media types acrkit knows. */
export const KnownManifestMediaType = {
  OciImageManifest: "application/vnd.oci.image.manifest.v1+json",
  OciImageIndex: "application/vnd.oci.image.index.v1+json",
  DockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  DockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  /** Withdrawn from OCI 1.1 but still stored by ORAS clients. */
  OciArtifactManifest: "application/vnd.oci.artifact.manifest.v1+json",
} as const;
/** A manifest media type; any string, with the known values suggested. */
export type KnownManifestMediaType = (typeof KnownManifestMediaType)[keyof typeof KnownManifestMediaType];
