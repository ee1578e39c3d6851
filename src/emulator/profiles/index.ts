/**
 * Every registry profile by name, and the lookup `createEmulator({ profile })` and `--profile` use.
 *
 * The behaviour names of 2026-12 (`single-request`, `chunk-min`, `put-limit`) stay as quirk-only profiles: ACR with
 * that one behaviour.
 * @module
 */
import { acr } from "./acr";
import { artifactory } from "./artifactory";
import { distribution } from "./distribution";
import { dockerHub } from "./docker-hub";
import { ecr } from "./ecr";
import { gar } from "./gar";
import { ghcr } from "./ghcr";
import { gitea } from "./gitea";
import { gitlab } from "./gitlab";
import { harbor } from "./harbor";
import { nexus } from "./nexus";
import { compose, type RegistryProfile } from "./profile";
import { quay } from "./quay";
import { chunkMin } from "./quirks/chunk-min";
import { putLimit } from "./quirks/put-limit";
import { singleRequest } from "./quirks/single-request";
import { zot } from "./zot";

/** Every profile, by the name the emulator's options take. */
export const PROFILES = {
  acr,
  distribution,
  ghcr,
  ecr,
  "docker-hub": dockerHub,
  gar,
  quay,
  harbor,
  gitlab,
  gitea,
  artifactory,
  nexus,
  zot,
  "single-request": compose("single-request", acr, singleRequest),
  "chunk-min": compose("chunk-min", acr, chunkMin),
  "put-limit": compose("put-limit", acr, putLimit()),
} as const satisfies Record<string, RegistryProfile>;

/** A profile's name. */
export type ProfileName = keyof typeof PROFILES;

/** Every profile name, for validation and the CLI's help. */
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** The profiles named after a registry (the others are single behaviours). */
export const REGISTRY_PROFILE_NAMES = PROFILE_NAMES.filter(
  (name) => !["single-request", "chunk-min", "put-limit"].includes(name),
);

/** The profile of a name (default `acr`); a TypeError names an unknown profile. */
export function profileNamed(name: string | undefined): RegistryProfile {
  const key = name ?? "acr";
  if (!Object.hasOwn(PROFILES, key)) {
    throw new TypeError(`unknown emulator profile "${String(key)}"; expected one of ${PROFILE_NAMES.join(", ")}`);
  }
  return PROFILES[key as ProfileName];
}
