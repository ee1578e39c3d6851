/**
 * The plan of `acrkit purge`, computed the same way for `--dry-run` and for the real run, so the dry run lists exactly
 * what the real run deletes. The library's `purge` (dry run) picks candidates by age, `--keep` and `--untagged`, and
 * keeps locked manifests and the platform images of indexes that stay; this adds the tag filter, keeps referrers
 * whose subject stays, and with `--include-locked` moves the locked candidates into the deletions.
 * @module
 */
import { purge, type ContainerRegistryClient, type PurgedManifest } from "acrkit";

/** What the CLI asks of a purge. */
export interface PurgeRequest {
  repositories: string[] | ((name: string) => boolean);
  /** Per repository, the tags a manifest's tags must all match to be deleted (none: any). */
  tagFilter: (repository: string) => RegExp | undefined;
  olderThan?: number;
  keep?: number;
  untagged: boolean;
  includeLocked: boolean;
  signal: AbortSignal;
}

/** The plan: what goes, what stays and why. */
export interface PurgePlan {
  deleted: PurgedManifest[];
  /** Locked candidates left alone (without --include-locked). */
  skippedLocked: PurgedManifest[];
  /** Candidates kept because an index that stays lists them, or their subject stays, or a tag is outside the filter. */
  protected: Array<PurgedManifest & { reason: string }>;
  /** How many manifests stay in all. */
  kept: number;
}

/** Computes the plan without deleting anything. */
export async function planPurge(client: ContainerRegistryClient, request: PurgeRequest): Promise<PurgePlan> {
  const base = await purge(client, {
    repositories: request.repositories,
    ...(request.olderThan !== undefined ? { olderThan: request.olderThan } : {}),
    ...(request.keep !== undefined ? { keep: request.keep } : {}),
    untagged: request.untagged,
    dryRun: true,
    signal: request.signal,
  });
  const candidates = [...base.deleted, ...(request.includeLocked ? base.skippedLocked : [])];
  const plan: PurgePlan = {
    deleted: [],
    skippedLocked: request.includeLocked ? [] : base.skippedLocked,
    protected: [],
    kept: base.kept.length + (request.includeLocked ? 0 : base.skippedLocked.length),
  };
  const byRepository = new Map<string, PurgedManifest[]>();
  for (const candidate of candidates)
    byRepository.set(candidate.repository, [...(byRepository.get(candidate.repository) ?? []), candidate]);
  for (const [repository, list] of byRepository) {
    const filter = request.tagFilter(repository);
    const going = new Map(list.map((manifest) => [manifest.digest, manifest]));
    const stay = (manifest: PurgedManifest, reason: string) => {
      going.delete(manifest.digest);
      plan.protected.push({ ...manifest, reason });
    };
    for (const manifest of list)
      if (filter && manifest.tags.some((tag) => !filter.test(tag))) stay(manifest, "a tag outside the filter");
    // Children of an index that stays, and referrers whose subject stays, until nothing changes.
    const related = await relatedOf(client, repository, request.signal);
    const subjects = new Map<string, string | undefined>();
    for (const manifest of going.values())
      subjects.set(manifest.digest, await subjectOf(client, repository, manifest.digest, request.signal));
    for (let changed = true; changed;) {
      changed = false;
      for (const manifest of going.values()) {
        const parentStays = [...(related.get(manifest.digest) ?? [])].some((parent) => !going.has(parent));
        const subject = subjects.get(manifest.digest);
        if (parentStays) stay(manifest, "a platform image of an index that stays");
        else if (subject !== undefined && !going.has(subject)) stay(manifest, "a referrer of a manifest that stays");
        else continue;
        changed = true;
      }
    }
    plan.deleted.push(...going.values());
  }
  plan.kept += plan.protected.length;
  return plan;
}

/** Child digest → the digests of the indexes that list it. */
async function relatedOf(
  client: ContainerRegistryClient,
  repository: string,
  signal: AbortSignal,
): Promise<Map<string, Set<string>>> {
  const parents = new Map<string, Set<string>>();
  for await (const manifest of client.listManifestProperties(repository, { signal })) {
    for (const child of manifest.relatedArtifacts ?? [])
      parents.set(child.digest, (parents.get(child.digest) ?? new Set()).add(manifest.digest));
  }
  return parents;
}

async function subjectOf(
  client: ContainerRegistryClient,
  repository: string,
  digest: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { manifest } = await client.getManifest(repository, digest, { signal });
  const subject = (manifest as { subject?: { digest?: unknown } }).subject;
  return typeof subject?.digest === "string" ? subject.digest : undefined;
}
