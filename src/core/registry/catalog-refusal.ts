/**
 * A registry that lists no repositories to the client: GHCR and Docker Hub have no `/v2/_catalog` (404), Harbor and
 * GitLab answer it 401 to anyone but an administrator (registry-quirks rows 17, 21, 37, 43).
 * @module
 */
import { AuthenticationError } from "../errors/authentication-error";
import { OciErrorCode } from "../errors/oci-error-codes";
import { RegistryError } from "../errors/registry-error";
import { UnsupportedOperationError } from "../errors/unsupported-operation-error";
import type { OperationContext } from "../operation-context";
import type { PageFetcher } from "../paging/paged-iterator";

/**
 * True for a refused catalog: a 404 that is not a missing repository, or a 401 on `/v2/_catalog` itself after the
 * registry's token service took the credential (a credential refused at the token service fails there instead).
 */
function isCatalogRefusal(error: unknown): boolean {
  if (error instanceof RegistryError) return error.statusCode === 404 && !error.hasCode(OciErrorCode.NAME_UNKNOWN);
  return error instanceof AuthenticationError && error.statusCode === 401 && (error.url ?? "").includes("/v2/_catalog");
}

/** `pages` with a refused catalog turned into an UnsupportedOperationError naming the registry's answer. */
export function withCatalogRefusals<T>(context: OperationContext, pages: PageFetcher<T>): PageFetcher<T> {
  return async (continuationToken, maxPageSize) => {
    try {
      return await pages(continuationToken, maxPageSize);
    } catch (error) {
      if (!isCatalogRefusal(error)) throw error;
      const reason = "lists no repositories to this client (no /v2/_catalog, or one for administrators only)";
      throw new UnsupportedOperationError("listRepositoryNames", context.loginServer, reason, { cause: error });
    }
  };
}
