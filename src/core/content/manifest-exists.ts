/**
 * `manifestExists`: a HEAD on a manifest, which every OCI registry answers without sending the body.
 * @module
 */
import { repositoryScope } from "../auth/scope";
import { discard } from "../pipeline";
import type { OperationContext, OperationOptions } from "../registry/context";
import { MANIFEST_ACCEPT, manifestUrl } from "./manifests";

/** Whether the repository holds a manifest with this tag or digest (HEAD). */
export async function manifestExists(
  context: OperationContext,
  repository: string,
  tagOrDigest: string,
  options: OperationOptions = {},
): Promise<boolean> {
  const response = await context.pipeline.send({
    method: "HEAD",
    url: manifestUrl(context, repository, tagOrDigest),
    scope: repositoryScope(repository, "pull"),
    // distribution 2.8 answers 404 for an OCI manifest whose type is missing from Accept, so list every type.
    headers: { accept: MANIFEST_ACCEPT },
    signal: options.signal,
    expect: [200, 404],
  });
  await discard(response);
  return response.status === 200;
}
