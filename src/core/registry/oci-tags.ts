/**
 * Tags on registries without `/acr/v1`: the OCI tag list as tag properties, and the OCI 1.1 tag delete. Loaded on
 * first use, so that a page talking to ACR never downloads it.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import type { ContentContext } from "../content/context";
import { fanOut } from "../utils/fan-out";
import { createLimiter } from "../utils/limiter";
import { RegistryError } from "../errors/registry-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { UnsupportedOperationError } from "../errors/unsupported-operation-error";
import type { ArtifactTagProperties } from "../models/properties";
import type { PageFetcher } from "../paging/paged-iterator";
import { discard } from "../http/discard";
import { isMissingItem } from "../resources/acr-api";
import { registryUrl, type OperationContext, type OperationOptions } from "../operation-context";
import { ociNamePages } from "./oci-listing";
import type { ListTagPropertiesOptions } from "./tags";

/** Tag properties from the OCI tag list: names, and digests when asked for; what OCI does not know stays undefined. */
export function ociTagPages(
  context: ContentContext,
  repository: string,
  options: ListTagPropertiesOptions,
): PageFetcher<ArtifactTagProperties> {
  const names = ociNamePages(context, {
    path: `/v2/${repository}/tags/list`,
    scope: repositoryScope(repository, "pull"),
    field: "tags",
    signal: options.signal,
  });
  const limit = createLimiter(context.concurrency);
  return async (continuationToken, maxPageSize) => {
    const page = await names(continuationToken, maxPageSize);
    let tags = page.items.map((name): ArtifactTagProperties => ({
      repositoryName: repository,
      registryLoginServer: context.loginServer,
      name,
      digest: undefined,
      createdOn: undefined,
      lastUpdatedOn: undefined,
      canDelete: undefined,
      canWrite: undefined,
      canList: undefined,
      canRead: undefined,
    }));
    if (options.includeDigests || options.digest !== undefined) {
      const { resolveManifestDigest } = await import("../content/manifests");
      const resolve = async (tag: ArtifactTagProperties, signal: AbortSignal) => {
        try {
          tag.digest = await resolveManifestDigest(context, repository, tag.name, { signal });
        } catch (error) {
          // A tag deleted since the list was read is left out rather than failing the listing.
          if (!(error instanceof RegistryError && error.statusCode === 404)) throw error;
        }
      };
      await fanOut(tags, resolve, { limit, signal: options.signal });
      tags = tags.filter(
        (tag) => tag.digest !== undefined && (options.digest === undefined || tag.digest === options.digest),
      );
    }
    return { items: tags, next: page.next };
  };
}

/**
 * The OCI 1.1 tag delete. A registry without it answers 405 `UNSUPPORTED`, or, as distribution 2.8 does, 400
 * `DIGEST_INVALID` because it reads every reference as a digest.
 */
export async function deleteOciTag(
  context: OperationContext,
  repository: string,
  tag: string,
  options: OperationOptions,
): Promise<void> {
  try {
    const response = await context.pipeline.send({
      method: "DELETE",
      url: registryUrl(context, `/v2/${repository}/manifests/${tag}`),
      scope: repositoryScope(repository, "delete"),
      signal: options.signal,
      expect: [200, 202, 204],
    });
    await discard(response);
  } catch (error) {
    if (isMissingItem(error)) return;
    if (
      error instanceof RegistryError &&
      (error.statusCode === 405 || error.hasCode(OciErrorCode.UNSUPPORTED, OciErrorCode.DIGEST_INVALID))
    ) {
      throw new UnsupportedOperationError(
        "deleteTag",
        context.loginServer,
        "cannot delete a tag alone (no OCI 1.1 tag delete); deleteManifest removes the manifest with all its tags",
        { cause: error },
      );
    }
    throw error;
  }
}
