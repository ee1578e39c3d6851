/**
 * `mountBlob`: cross-repository blob mount (`POST /v2/<name>/blobs/uploads/?mount=&from=`).
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { AuthenticationError } from "../errors/authentication-error";
import { RegistryError } from "../errors/registry-error";
import { discard } from "../http/discard";
import { registryUrl, type OperationOptions } from "../operation-context";
import type { ContentContext } from "./context";
import { UploadSession } from "./upload-session";

/** An error that carries a registry's answer (a status), not a failure to get one or an abort. */
function isRegistryAnswer(error: unknown): boolean {
  return error instanceof RegistryError || error instanceof AuthenticationError;
}

/** What `mountBlob` did. */
export interface MountBlobResult {
  /**
   * True when the registry linked the blob (201); false when it did not: it opened an upload instead (202), or
   * refused the mount (Docker Hub's 400, Harbor's 401 "project not found", registry-quirks rows 20, 35).
   */
  mounted: boolean;
}

/**
 * Asks the registry to link a blob of `fromRepository` into `repository` without sending its bytes. Without
 * `fromRepository`, the OCI 1.1 mount without `from` lets the registry find the blob in any repository the client may
 * read. A registry that cannot (the blob is not there, no pull right on the source) opens an upload session instead;
 * that session is cancelled so nothing is left open, and the result says `mounted: false`; so does a refusal.
 */
export async function mountBlob(
  context: ContentContext,
  repository: string,
  digest: string,
  fromRepository: string | undefined,
  options: OperationOptions = {},
): Promise<MountBlobResult> {
  const url = registryUrl(context, `/v2/${repository}/blobs/uploads/`, { mount: digest, from: fromRepository });
  const target = repositoryScope(repository, "pull", "push");
  let response: Response;
  try {
    response = await context.pipeline.send({
      method: "POST",
      url,
      // One token for both repositories: a token without pull on the source makes registries fall back to 202.
      scope: fromRepository === undefined ? target : `${target} ${repositoryScope(fromRepository, "pull")}`,
      signal: options.signal,
      expect: [201, 202],
    });
  } catch (error) {
    // Any answer but 201 means "send the bytes": a registry that refuses the mount has said nothing about the upload.
    if (isRegistryAnswer(error)) return { mounted: false };
    throw error;
  }
  await discard(response);
  if (response.status === 201) return { mounted: true };
  // A 202 without a Location leaves nothing we could cancel.
  if (response.headers.has("location")) await UploadSession.adopt(context, repository, response, url, "POST").cancel();
  return { mounted: false };
}
