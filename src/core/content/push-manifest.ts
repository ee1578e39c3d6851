/**
 * Storing a manifest with its OCI 1.1 bookkeeping: when it has a `subject` and the registry has no referrers API
 * (asked of the API itself, not read from an `OCI-Subject` header), the client maintains the referrers tag.
 * @module
 */
import { assertDigest } from "../grammar/assert";
import type { OciDescriptor } from "../models/oci";
import type { ContentContext } from "./context";
import { prepareManifest, storeManifest, type SetManifestOptions } from "./manifests";
import { hasReferrersApi } from "./referrers";
import { addToReferrersTag } from "./referrers-tag";

/** What `pushManifest` stored and how the registry took its subject. */
export interface PushManifestResult {
  /** The digest of the manifest bytes as stored. */
  digest: string;
  /** The media type it was stored with: `options.mediaType`, else the manifest's own `mediaType`, else the OCI image manifest type. */
  mediaType: string;
  /** The size of the manifest in bytes. */
  size: number;
  /** The digest of the manifest's `subject`, if it has one. */
  subject?: string;
  /** The registry's `OCI-Subject` header, as sent; informative only, since some registries send it without the API. */
  ociSubject?: string;
  /** The referrers tag (`sha256-<hex>`) the client updated because the registry has no referrers API. */
  referrersTag?: string;
}

/**
 * Stores a manifest, and for a manifest with a subject on a registry without referrers API, its referrers tag.
 * Whether the API exists is asked of it (`GET /v2/<name>/referrers/<subject>`) once per client.
 */
export async function pushManifest(
  context: ContentContext,
  repository: string,
  manifest: object | Uint8Array | string,
  options: SetManifestOptions = {},
): Promise<PushManifestResult> {
  const prepared = await prepareManifest(context, manifest, options.mediaType);
  const subject = subjectDigest(prepared.manifest);
  const stored = await storeManifest(context, repository, prepared, options);
  const result: PushManifestResult = {
    digest: stored.digest,
    mediaType: prepared.mediaType,
    size: prepared.bytes.byteLength,
  };
  if (subject === undefined) return result;
  result.subject = subject;
  if (stored.ociSubject !== undefined) result.ociSubject = stored.ociSubject;
  if (await hasReferrersApi(context, repository, subject, options)) return result;
  const descriptor = referrerDescriptor(
    prepared.manifest,
    prepared.mediaType,
    stored.digest,
    prepared.bytes.byteLength,
  );
  result.referrersTag = await addToReferrersTag(context, repository, subject, descriptor, options);
  return result;
}

/** The subject's digest, checked before anything is sent. */
function subjectDigest(manifest: Record<string, unknown>): string | undefined {
  const subject = manifest.subject as Partial<OciDescriptor> | undefined;
  if (subject === undefined) return undefined;
  if (typeof subject !== "object" || subject === null)
    throw new TypeError("The manifest's subject must be a descriptor object");
  assertDigest(subject.digest);
  return subject.digest;
}

/** The descriptor the referrers API would list for this manifest: artifactType falls back to the config's type. */
function referrerDescriptor(
  manifest: Record<string, unknown>,
  mediaType: string,
  digest: string,
  size: number,
): OciDescriptor {
  const config = manifest.config as Partial<OciDescriptor> | undefined;
  const artifactType = typeof manifest.artifactType === "string" ? manifest.artifactType : config?.mediaType;
  const annotations = manifest.annotations as Record<string, string> | undefined;
  return {
    mediaType,
    digest,
    size,
    ...(typeof artifactType === "string" ? { artifactType } : {}),
    ...(annotations && typeof annotations === "object" ? { annotations } : {}),
  };
}
