import type { OciPlatform, PlatformSelector } from "../models/oci";
import { AcrkitError } from "./acrkit-error";

/**
 * An image index or manifest list has no manifest for the requested platform.
 *
 * `available` lists the platforms it does have, so the caller can pick one or report them.
 */
export class PlatformNotFoundError extends AcrkitError {
  /** Always `"PlatformNotFoundError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "PlatformNotFoundError";
  /** The platform that was asked for. */
  readonly requested: PlatformSelector;
  /** The platforms of the index's entries, in index order (entries without a platform are left out). */
  readonly available: OciPlatform[];
  /** The digest of the index that was searched. */
  readonly indexDigest: string;

  constructor(requested: PlatformSelector, available: OciPlatform[], indexDigest: string) {
    const listed = available.length === 0 ? "none" : available.map(formatPlatform).join(", ");
    super(`No manifest for ${formatPlatform(requested)} in the index ${indexDigest}; available platforms: ${listed}`);
    this.requested = requested;
    this.available = available;
    this.indexDigest = indexDigest;
  }
}

/** `os/architecture[/variant]`, as docker and containerd write platforms. */
export function formatPlatform(platform: PlatformSelector): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/");
}
