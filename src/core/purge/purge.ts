/**
 * `purge`: the `acr purge` of this library. Deletes old manifests by age, keeping the newest of each repository,
 * never touching a locked one.
 * @module
 */
import { ContainerRegistryClient } from "../client";
import { fanOut } from "../utils/fan-out";
import { UnsupportedOperationError } from "../errors/unsupported-operation-error";
import { quote } from "../grammar/assert";
import type { ArtifactManifestOrder } from "../models/enums";
import type { ArtifactManifestProperties } from "../models/properties";
import { checkPurgeOptions, type CheckedPurgeOptions, type PurgeOptions } from "./purge-options";

/** A manifest purge decided about. */
export interface PurgedManifest {
  /** The repository it is in. */
  repository: string;
  /** Its digest. */
  digest: string;
  /** The tags it had. */
  tags: string[];
  /** When it was last updated, which its age is counted from. */
  lastUpdatedOn: Date;
}

/** What {@link purge} did (or, with `dryRun`, would do). */
export interface PurgeResult {
  /** Deleted (with `dryRun`: to be deleted), with their tags. */
  deleted: PurgedManifest[];
  /** Left alone: among the newest `keep`, not old enough, tagged when only untagged ones go, or part of a kept index. */
  kept: PurgedManifest[];
  /** Would have been deleted but are locked: the manifest, one of its tags or its repository has `canDelete: false`. */
  skippedLocked: PurgedManifest[];
}

/** ArtifactManifestOrder.LastUpdatedOnDescending, without loading the enums for one value. */
const NEWEST_FIRST: ArtifactManifestOrder = "timedesc";

/** One repository's decision. */
interface RepositoryPlan extends PurgeResult {
  repository: string;
}

/**
 * Deletes the manifests that match: last updated before `olderThan`, outside the newest `keep` of their repository,
 * and with `untagged` only those without tags. A manifest a kept index lists (a platform image) is kept with it;
 * a locked one (`canDelete: false` on it, a tag of it or its repository) is never deleted nor unlocked, only
 * reported. Every repository is planned before the first delete, so an error while reading changes nothing.
 *
 * It needs ACR's `/acr/v1` API (manifest timestamps and locks); on other registries it throws
 * UnsupportedOperationError before deleting anything.
 *
 * @example
 * ```ts
 * // Untagged manifests older than a week, and all but the 10 newest images of every `ci/` repository.
 * const preview = await purge(client, { repositories: (name) => name.startsWith("ci/"), olderThan: 7 * 86_400_000, keep: 10, dryRun: true });
 * console.log(preview.deleted.map((m) => `${m.repository}@${m.digest}`));
 * ```
 */
export async function purge(client: ContainerRegistryClient, options: PurgeOptions): Promise<PurgeResult> {
  if (!(client instanceof ContainerRegistryClient))
    throw new TypeError(`purge needs a ContainerRegistryClient, got ${quote(client)}`);
  const checked = checkPurgeOptions(options, Date.now());
  const plans: RepositoryPlan[] = [];
  try {
    for (const repository of await repositoriesToPurge(client, checked))
      plans.push(await planRepository(client, repository, checked));
  } catch (error) {
    if (error instanceof UnsupportedOperationError) {
      throw new UnsupportedOperationError(
        "purge",
        error.registry,
        "has no ACR /acr/v1 API: purge needs the manifest timestamps and locks only ACR gives",
        { cause: error },
      );
    }
    throw error;
  }
  const result: PurgeResult = {
    deleted: plans.flatMap((plan) => plan.deleted),
    kept: plans.flatMap((plan) => plan.kept),
    skippedLocked: plans.flatMap((plan) => plan.skippedLocked),
  };
  if (!checked.dryRun) await deleteAll(client, result.deleted, checked);
  return result;
}

async function repositoriesToPurge(client: ContainerRegistryClient, options: CheckedPurgeOptions): Promise<string[]> {
  if (Array.isArray(options.repositories)) return [...new Set(options.repositories)];
  const names: string[] = [];
  for await (const name of client.listRepositoryNames({ signal: options.signal })) {
    if (options.repositories === undefined || options.repositories(name)) names.push(name);
  }
  return names;
}

async function planRepository(
  client: ContainerRegistryClient,
  repository: string,
  options: CheckedPurgeOptions,
): Promise<RepositoryPlan> {
  const { signal } = options;
  const manifests: ArtifactManifestProperties[] = [];
  for await (const manifest of client.listManifestProperties(repository, { orderBy: NEWEST_FIRST, signal })) {
    manifests.push(manifest);
  }
  // `keep` counts images: an index with its platform images is one, so the platform images take no place of their own.
  const platformImages = new Set(
    manifests.flatMap((manifest) => manifest.relatedArtifacts.map((child) => child.digest)),
  );
  const images = manifests.filter((manifest) => !platformImages.has(manifest.digest));
  const newest = new Set(images.slice(0, options.keep).map((manifest) => manifest.digest));
  const isCandidate = (manifest: ArtifactManifestProperties) =>
    !newest.has(manifest.digest) &&
    (options.cutoff === undefined || manifest.lastUpdatedOn.getTime() < options.cutoff) &&
    (!options.untagged || manifest.tags.length === 0);
  const candidates = new Set(manifests.filter(isCandidate).map((manifest) => manifest.digest));
  const locked =
    candidates.size > 0
      ? await lockedDigests(
          client,
          repository,
          manifests.filter((manifest) => candidates.has(manifest.digest)),
          signal,
        )
      : new Set<string>();
  for (const digest of locked) candidates.delete(digest);
  // A platform image of an index that stays must stay too, or the index would point at nothing.
  const staying = manifests.filter((manifest) => !candidates.has(manifest.digest));
  for (const child of staying.flatMap((manifest) => manifest.relatedArtifacts)) candidates.delete(child.digest);

  const plan: RepositoryPlan = { repository, deleted: [], kept: [], skippedLocked: [] };
  for (const manifest of manifests) {
    const entry: PurgedManifest = {
      repository,
      digest: manifest.digest,
      tags: [...manifest.tags],
      lastUpdatedOn: manifest.lastUpdatedOn,
    };
    if (locked.has(manifest.digest)) plan.skippedLocked.push(entry);
    else if (candidates.has(manifest.digest)) plan.deleted.push(entry);
    else plan.kept.push(entry);
  }
  return plan;
}

/** The candidates that may not be deleted: locked themselves, by a tag, or by their repository. */
async function lockedDigests(
  client: ContainerRegistryClient,
  repository: string,
  candidates: ArtifactManifestProperties[],
  signal: AbortSignal | undefined,
): Promise<Set<string>> {
  const repositoryProperties = await client.getRepositoryProperties(repository, { signal });
  if (!repositoryProperties.canDelete) return new Set(candidates.map((manifest) => manifest.digest));
  const lockedTags = new Set<string>();
  if (candidates.some((manifest) => manifest.tags.length > 0)) {
    for await (const tag of client.listTagProperties(repository, { signal }))
      if (tag.canDelete === false) lockedTags.add(tag.name);
  }
  return new Set(
    candidates
      .filter((manifest) => !manifest.canDelete || manifest.tags.some((tag) => lockedTags.has(tag)))
      .map((manifest) => manifest.digest),
  );
}

/** Deletes under the concurrency limit; the first failure stops the deletes not yet started and is thrown. */
async function deleteAll(
  client: ContainerRegistryClient,
  manifests: PurgedManifest[],
  options: CheckedPurgeOptions,
): Promise<void> {
  await fanOut(
    manifests,
    (manifest, signal) => client.deleteManifest(manifest.repository, manifest.digest, { signal }),
    {
      limit: options.concurrency ?? client.concurrency,
      signal: options.signal,
    },
  );
}
