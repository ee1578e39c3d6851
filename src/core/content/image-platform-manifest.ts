/**
 * `getManifest` with a `platform`: resolves an OCI image index or Docker manifest list to one platform's manifest.
 * @module
 */
import { PlatformNotFoundError } from "../errors/platform-not-found-error";
import { KnownManifestMediaType } from "../models/enums";
import type { OciDescriptor, PlatformSelector } from "../models/oci";
import type { OperationOptions } from "../operation-context";
import type { ContentContext } from "./context";
import { getManifest, type GetManifestResult } from "./manifests";
import { platformsOf, selectPlatform } from "./image-platform";

/** Options of `getManifest`. */
export interface GetManifestOptions extends OperationOptions {
  /**
   * Resolve an index or manifest list to this platform's manifest. A manifest that is not an index is returned
   * as it is: it names no platform of its own (that is in its config blob).
   */
  platform?: PlatformSelector;
}

/** How deep indexes of indexes are followed; real images have one level, and a cycle must not loop. */
const MAX_INDEX_DEPTH = 4;

/** Whether a fetched manifest is a list of manifests rather than an image. */
export function isIndexManifest(result: Pick<GetManifestResult, "manifest" | "mediaType">): boolean {
  if (
    result.mediaType === KnownManifestMediaType.OciImageIndex ||
    result.mediaType === KnownManifestMediaType.DockerManifestList
  )
    return true;
  // An OCI index may omit mediaType; `manifests` without `config` still tells.
  return Array.isArray(result.manifest.manifests) && result.manifest.config === undefined;
}

/** Fetches the manifest and, while it is an index, the entry for `platform` (each verified by digest). */
export async function getPlatformManifest(
  context: ContentContext,
  repository: string,
  tagOrDigest: string,
  platform: PlatformSelector,
  options: OperationOptions = {},
): Promise<GetManifestResult> {
  let result = await getManifest(context, repository, tagOrDigest, options);
  for (let depth = 0; isIndexManifest(result); depth++) {
    if (depth === MAX_INDEX_DEPTH)
      throw new RangeError(`Indexes nest deeper than ${MAX_INDEX_DEPTH} levels under ${tagOrDigest}`);
    const entries = (result.manifest.manifests as OciDescriptor[]).filter((entry) => typeof entry?.digest === "string");
    const chosen = selectPlatform(entries, platform);
    if (!chosen) throw new PlatformNotFoundError(platform, platformsOf(entries), result.digest);
    result = await getManifest(context, repository, chosen.digest, options);
  }
  return result;
}
