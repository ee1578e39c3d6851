/**
 * `manifestExists`: a HEAD on a manifest, which every OCI registry answers without sending the body.
 * @module
 */
import { discard } from "../http/discard";
import type { OperationContext, OperationOptions } from "../operation-context";
import { requestManifest } from "./manifests";

/** Whether the repository holds a manifest with this tag or digest (HEAD). */
export async function manifestExists(
  context: OperationContext,
  repository: string,
  tagOrDigest: string,
  options: OperationOptions = {},
): Promise<boolean> {
  const response = await requestManifest(context, repository, tagOrDigest, "HEAD", [200, 404], options.signal);
  await discard(response);
  return response.status === 200;
}
