/**
 * Blob requests that move no content: existence checks and deletes.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { discard } from "../http/discard";
import { registryUrl, type OperationContext, type OperationOptions } from "../operation-context";
import { deleteResource } from "../resources/resource-requests";

/** The URL of a blob. */
export function blobUrl(context: OperationContext, repository: string, digest: string): URL {
  return registryUrl(context, `/v2/${repository}/blobs/${digest}`);
}

/** Whether the repository holds the blob (HEAD). */
export async function blobExists(
  context: OperationContext,
  repository: string,
  digest: string,
  options: OperationOptions = {},
): Promise<boolean> {
  return (await headBlob(context, repository, digest, options)).exists;
}

/**
 * A HEAD on a blob: whether the repository holds it, and its size when the registry says it. An upload asks with the
 * push scope it needs next, so that one token serves both.
 */
export async function headBlob(
  context: OperationContext,
  repository: string,
  digest: string,
  options: OperationOptions = {},
  scope = repositoryScope(repository, "pull"),
): Promise<{ exists: boolean; size: number | undefined }> {
  const response = await context.pipeline.send({
    method: "HEAD",
    url: blobUrl(context, repository, digest),
    scope,
    signal: options.signal,
    expect: [200, 404],
  });
  await discard(response);
  const size = Number(response.headers.get("content-length") ?? Number.NaN);
  return { exists: response.status === 200, size: Number.isSafeInteger(size) && size >= 0 ? size : undefined };
}

/** Deletes a blob; a missing blob is not an error. */
export async function deleteBlob(
  context: OperationContext,
  repository: string,
  digest: string,
  options: OperationOptions = {},
): Promise<void> {
  await deleteResource(context, blobUrl(context, repository, digest), repository, options);
}
