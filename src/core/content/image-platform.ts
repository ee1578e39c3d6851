/**
 * Choosing an image index's entry for a platform, with the normalizations containerd and docker apply
 * (`aarch64` is `arm64`, arm64 without variant is `v8`, arm without variant is `v7`).
 * @module
 */
import type { OciDescriptor, OciPlatform, PlatformSelector } from "../models/oci";

const ARCHITECTURE_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: "amd64" },
  "x86-64": { architecture: "amd64" },
  aarch64: { architecture: "arm64" },
  i386: { architecture: "386" },
  i686: { architecture: "386" },
  armhf: { architecture: "arm", variant: "v7" },
  armel: { architecture: "arm", variant: "v6" },
};

/** The variant an image of this architecture has when its index names none. */
const DEFAULT_VARIANTS: Record<string, string> = { arm64: "v8", arm: "v7" };

/** A platform in canonical form: lowercase, aliases resolved, default variants filled in. */
export function normalizePlatform(platform: PlatformSelector): PlatformSelector {
  const os = platform.os.toLowerCase();
  const alias = ARCHITECTURE_ALIASES[platform.architecture.toLowerCase()];
  const architecture = alias?.architecture ?? platform.architecture.toLowerCase();
  let variant = (platform.variant ?? alias?.variant)?.toLowerCase() || undefined;
  // "8" and "v8" name the same variant; amd64's "v1" is the baseline, the same as none.
  if (variant !== undefined && /^\d+$/.test(variant)) variant = `v${variant}`;
  if (architecture === "amd64" && variant === "v1") variant = undefined;
  variant ??= DEFAULT_VARIANTS[architecture];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/**
 * The entry for `wanted`: with a variant, the entry whose normalized variant is the same; without one, the entry
 * with the architecture's default variant if there is one, else the first of that os and architecture.
 */
export function selectPlatform(
  manifests: readonly OciDescriptor[],
  wanted: PlatformSelector,
): OciDescriptor | undefined {
  const target = normalizePlatform(wanted);
  const candidates = manifests.filter((entry) => {
    if (!isPlatform(entry.platform)) return false;
    const platform = normalizePlatform(entry.platform);
    return platform.os === target.os && platform.architecture === target.architecture;
  });
  const exact = candidates.find((entry) => normalizePlatform(entry.platform!).variant === target.variant);
  return wanted.variant === undefined ? (exact ?? candidates[0]) : exact;
}

/** The platforms of an index's entries, for error messages; entries without one are left out. */
export function platformsOf(manifests: readonly OciDescriptor[]): OciPlatform[] {
  return manifests.map((entry) => entry.platform).filter(isPlatform);
}

function isPlatform(value: unknown): value is OciPlatform {
  const candidate = value as OciPlatform | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.os === "string" &&
    typeof candidate.architecture === "string"
  );
}
