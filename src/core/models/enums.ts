/**
 * Enumerations of the ACR API, as const objects with matching union types.
 * @module
 */

/** Orders of a manifest listing. */
export const ArtifactManifestOrder = {
  /** `timedesc`: most recently updated first. */
  LastUpdatedOnDescending: "timedesc",
  /** `timeasc`: least recently updated first. */
  LastUpdatedOnAscending: "timeasc",
} as const;
/** An order of a manifest listing. */
export type ArtifactManifestOrder = (typeof ArtifactManifestOrder)[keyof typeof ArtifactManifestOrder];

/** Orders of a tag listing. */
export const ArtifactTagOrder = {
  /** `timedesc`: most recently updated first. */
  LastUpdatedOnDescending: "timedesc",
  /** `timeasc`: least recently updated first. */
  LastUpdatedOnAscending: "timeasc",
} as const;
/** An order of a tag listing. */
export type ArtifactTagOrder = (typeof ArtifactTagOrder)[keyof typeof ArtifactTagOrder];

/** CPU architectures ACR reports; other strings from the service come through unchanged. */
export const ArtifactArchitecture = {
  /** `386`: 32-bit x86. */
  I386: "386",
  /** `amd64`: 64-bit x86. */
  Amd64: "amd64",
  /** `arm`: 32-bit ARM. */
  Arm: "arm",
  /** `arm64`: 64-bit ARM. */
  Arm64: "arm64",
  /** `mips`: 32-bit MIPS, big-endian. */
  Mips: "mips",
  /** `mipsle`: 32-bit MIPS, little-endian. */
  MipsLe: "mipsle",
  /** `mips64`: 64-bit MIPS, big-endian. */
  Mips64: "mips64",
  /** `mips64le`: 64-bit MIPS, little-endian. */
  Mips64Le: "mips64le",
  /** `ppc64`: 64-bit PowerPC, big-endian. */
  Ppc64: "ppc64",
  /** `ppc64le`: 64-bit PowerPC, little-endian. */
  Ppc64Le: "ppc64le",
  /** `riscv64`: 64-bit RISC-V. */
  RiscV64: "riscv64",
  /** `s390x`: IBM Z. */
  S390X: "s390x",
  /** `wasm`: WebAssembly. */
  Wasm: "wasm",
} as const;
/** A CPU architecture; any string, with the known values suggested. */
export type ArtifactArchitecture = (typeof ArtifactArchitecture)[keyof typeof ArtifactArchitecture] | (string & {});

/** Operating systems ACR reports; other strings from the service come through unchanged. */
export const ArtifactOperatingSystem = {
  /** `aix`: IBM AIX. */
  Aix: "aix",
  /** `android`: Android. */
  Android: "android",
  /** `darwin`: macOS. */
  Darwin: "darwin",
  /** `dragonfly`: DragonFly BSD. */
  Dragonfly: "dragonfly",
  /** `freebsd`: FreeBSD. */
  FreeBsd: "freebsd",
  /** `illumos`: illumos. */
  Illumos: "illumos",
  /** `ios`: iOS. */
  iOS: "ios",
  /** `js`: JavaScript runtimes (Go's `GOOS=js`). */
  JS: "js",
  /** `linux`: Linux. */
  Linux: "linux",
  /** `netbsd`: NetBSD. */
  NetBsd: "netbsd",
  /** `openbsd`: OpenBSD. */
  OpenBsd: "openbsd",
  /** `plan9`: Plan 9. */
  Plan9: "plan9",
  /** `solaris`: Solaris. */
  Solaris: "solaris",
  /** `windows`: Windows. */
  Windows: "windows",
} as const;
/** An operating system; any string, with the known values suggested. */
export type ArtifactOperatingSystem =
  (typeof ArtifactOperatingSystem)[keyof typeof ArtifactOperatingSystem] | (string & {});

/** Manifest media types acrkit knows. */
export const KnownManifestMediaType = {
  /** OCI image manifest (`application/vnd.oci.image.manifest.v1+json`). */
  OciImageManifest: "application/vnd.oci.image.manifest.v1+json",
  /** OCI image index, a multi-platform list of manifests (`application/vnd.oci.image.index.v1+json`). */
  OciImageIndex: "application/vnd.oci.image.index.v1+json",
  /** Docker image manifest, schema 2 (`application/vnd.docker.distribution.manifest.v2+json`). */
  DockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  /** Docker manifest list, a multi-platform list of manifests (`application/vnd.docker.distribution.manifest.list.v2+json`). */
  DockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  /** Withdrawn from OCI 1.1 but still stored by ORAS clients. */
  OciArtifactManifest: "application/vnd.oci.artifact.manifest.v1+json",
} as const;
/** A manifest media type; any string, with the known values suggested. */
export type KnownManifestMediaType = (typeof KnownManifestMediaType)[keyof typeof KnownManifestMediaType];
