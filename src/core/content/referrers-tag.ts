/**
 * The referrers tag schema (OCI distribution 1.1, §"Referrers Tag Schema"): on a registry without the referrers
 * API, the referrers of a manifest are listed in an image index tagged `<alg>-<hex>`, which clients maintain.
 * @module
 */
import { RegistryError } from "../errors/registry-error";
import { KnownManifestMediaType } from "../models/enums";
import type { OciDescriptor, OciImageIndex } from "../models/oci";
import type { OperationOptions } from "../operation-context";
import type { ContentContext } from "./context";
import { getManifest, prepareManifest, storeManifest } from "./manifests";
import { referrersTagOf } from "./referrers-tag-name";

/** The descriptors listed under a subject's referrers tag; no tag yet means none. */
export async function readReferrersTag(
  context: ContentContext,
  repository: string,
  subjectDigest: string,
  options: OperationOptions = {},
): Promise<OciDescriptor[]> {
  try {
    const { manifest } = await getManifest(context, repository, referrersTagOf(subjectDigest), options);
    const entries = (manifest as Partial<OciImageIndex>).manifests;
    return Array.isArray(entries) ? entries.filter(isDescriptor) : [];
  } catch (error) {
    if (error instanceof RegistryError && error.statusCode === 404) return [];
    throw error;
  }
}

/** Serializes updates of one tag within this process: two read-append-push cycles must not overwrite each other. */
const pending = new WeakMap<ContentContext, Map<string, Promise<unknown>>>();

/**
 * Adds a referrer to the subject's referrers tag: fetch (absent = empty), drop any entry with the same digest,
 * append, re-push. Returns the tag. Writers in other processes can still race, which the tag schema cannot prevent.
 */
export async function addToReferrersTag(
  context: ContentContext,
  repository: string,
  subjectDigest: string,
  referrer: OciDescriptor,
  options: OperationOptions = {},
): Promise<string> {
  const tag = referrersTagOf(subjectDigest);
  const queues = pending.get(context) ?? new Map<string, Promise<unknown>>();
  pending.set(context, queues);
  const key = `${repository}:${tag}`;
  const previous = queues.get(key) ?? Promise.resolve();
  const update = previous
    .catch(() => undefined)
    .then(async () => {
      const current = await readReferrersTag(context, repository, subjectDigest, options);
      const index: OciImageIndex = {
        schemaVersion: 2,
        mediaType: KnownManifestMediaType.OciImageIndex,
        manifests: [...current.filter((entry) => entry.digest !== referrer.digest), referrer],
      };
      const prepared = await prepareManifest(context, index, KnownManifestMediaType.OciImageIndex);
      await storeManifest(context, repository, prepared, { tag, signal: options.signal });
      return tag;
    });
  queues.set(key, update);
  try {
    return await update;
  } finally {
    if (queues.get(key) === update) queues.delete(key);
  }
}

function isDescriptor(value: unknown): value is OciDescriptor {
  const candidate = value as OciDescriptor | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.digest === "string" &&
    typeof candidate.mediaType === "string"
  );
}
