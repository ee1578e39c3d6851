/**
 * One blob of a copy: skipped when the destination has it, mounted within one registry, else streamed through.
 * @module
 */
import type { ContainerRegistryClient } from "../client";
import { DigestValidationError } from "../errors/digest-validation-error";
import { RegistryError } from "../errors/registry-error";
import type { OciDescriptor } from "../models/oci";

/** One side of a blob copy. */
export interface BlobSide {
  client: ContainerRegistryClient;
  repository: string;
}

/** What happened to a blob: already there, linked by a mount, or its bytes sent. */
export type BlobCopyAction = "skipped" | "mounted" | "copied";

/**
 * Whether the destination has the blob; a HEAD redirected to storage signed for GET answers 403 (registry-quirks
 * rows 43, 60), which says nothing: the blob is then sent, and the upload's own answers decide.
 */
async function presentAt(destination: BlobSide, digest: string, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    return await destination.client.blobExists(destination.repository, digest, { signal });
  } catch (error) {
    if (error instanceof RegistryError && error.statusCode === 403) return false;
    throw error;
  }
}

/**
 * Copies one blob. The bytes flow from the download body into the upload chunk by chunk, never whole in memory;
 * both ends verify the digest (the download as it streams, the upload against the registry's answer).
 */
export async function copyBlob(
  source: BlobSide,
  destination: BlobSide,
  blob: OciDescriptor,
  options: { signal?: AbortSignal; onBytes?: (loaded: number) => void },
): Promise<BlobCopyAction> {
  const { signal } = options;
  if (await presentAt(destination, blob.digest, signal)) return "skipped";
  // A mount needs both repositories in one registry; a registry that cannot mount answers 202 and we send bytes.
  if (source.client.endpoint === destination.client.endpoint && source.repository !== destination.repository) {
    const { mounted } = await destination.client.mountBlob(destination.repository, blob.digest, source.repository, { signal });
    if (mounted) return "mounted";
  }
  const download = await source.client.downloadBlob(source.repository, blob.digest, { signal });
  const uploaded = await destination.client.uploadBlob(
    destination.repository,
    download.size === undefined ? download.body : { stream: download.body, size: download.size },
    { signal, onProgress: options.onBytes && ((progress) => options.onBytes!(progress.loaded)) },
  );
  if (uploaded.digest !== blob.digest) {
    throw new DigestValidationError(blob.digest, uploaded.digest, `The copy of ${blob.digest} arrived as ${uploaded.digest}`);
  }
  return "copied";
}
