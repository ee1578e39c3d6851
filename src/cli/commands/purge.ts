/**
 * `acrkit purge REGISTRY`: retention. `--dry-run` prints the plan; the real run deletes exactly that plan (the same
 * JSON), asks on a terminal unless `--yes`, and never deletes a platform image of an index that stays, a referrer
 * whose subject stays, or a locked manifest without `--include-locked`.
 * @module
 */
import { isRepositoryName, type ContainerRegistryClient, type PurgedManifest } from "acrkit";
import { flag, integerOption, listOption, positionals, stringOption } from "../args";
import type { Command } from "../command";
import type { CommandContext } from "../context";
import { PartialFailureError, UsageError } from "../exit-codes";
import { compilePattern, parseDuration, parseReference } from "../references";
import { planPurge, type PurgePlan } from "../purge-plan";

/** The `purge` command. */
export const purge: Command = {
  name: "purge",
  summary: "delete old or untagged manifests by a retention rule (a plan first)",
  usage:
    "acrkit purge REGISTRY --filter REPO:REGEX… [--older-than 30d] [--keep N] [--untagged] [--include-locked] [--dry-run] [--yes]",
  details: `--filter REPO:REGEX selects repositories (REPO: a name, or a regular expression matched against whole names; a
plain name lists no catalog) and, per repository, the tags a manifest's tags must all match to go. --keep N keeps the
newest N images of each repository whatever their age. At least one of --older-than, --keep and --untagged is needed.`,
  options: [
    { name: "filter", type: "list", value: "REPO:REGEX", description: "repositories and tags to consider" },
    {
      name: "older-than",
      type: "string",
      value: "DURATION",
      description: "only manifests last updated before now minus DURATION (30d)",
    },
    { name: "keep", type: "string", value: "N", description: "keep the newest N images of each repository" },
    { name: "untagged", type: "boolean", description: "only manifests without tags" },
    { name: "include-locked", type: "boolean", description: "also delete locked manifests (unlocking them first)" },
    { name: "dry-run", type: "boolean", description: "print the plan, delete nothing" },
    { name: "yes", short: "y", type: "boolean", description: "do not ask on a terminal" },
    { name: "keep-going", type: "boolean", description: "go on after a failed delete; exit 8 if any failed" },
    { name: "concurrency", type: "string", value: "N", description: "deletes at once (default 8)" },
  ],
  async run(args, context) {
    const [text] = positionals(args, 1, purge.usage);
    const target = parseReference(text!);
    if (target.kind !== "registry" || target.repository !== undefined)
      throw new UsageError(`purge takes a registry host, got ${JSON.stringify(text)}`);
    const filters = listOption(args, "filter").map(parseFilter);
    if (filters.length === 0)
      throw new UsageError("purge needs at least one --filter REPO:REGEX (e.g. --filter 'app:.*')");
    const olderText = stringOption(args, "older-than");
    const olderThan = olderText === undefined ? undefined : parseDuration(olderText, "older-than");
    const keep = integerOption(args, "keep", undefined, 0);
    const untagged = flag(args, "untagged");
    if (olderThan === undefined && keep === undefined && !untagged)
      throw new UsageError(
        "purge needs --older-than, --keep or --untagged: without one it would delete every manifest the filter names",
      );
    const literal = filters.every((f) => f.literal);
    const client = await context.client(target.registry);
    const plan = await planPurge(client, {
      repositories: literal
        ? [...new Set(filters.map((f) => f.repository as string))]
        : (name) => filters.some((f) => f.matches(name)),
      tagFilter: (repository) => filters.find((f) => f.matches(repository))?.tags,
      olderThan,
      keep,
      untagged,
      includeLocked: flag(args, "include-locked"),
      signal: context.io.signal,
    });
    const dryRun = flag(args, "dry-run");
    if (!dryRun && plan.deleted.length > 0 && context.io.stdinIsTTY && !flag(args, "yes")) {
      if (!(await context.io.confirm(`Delete ${plan.deleted.length} manifest(s) from ${target.registry}?`))) {
        await context.note("Nothing deleted.");
        return 0;
      }
    }
    const failed = dryRun
      ? []
      : await deleteAll(context, client, plan, {
          keepGoing: flag(args, "keep-going"),
          unlock: flag(args, "include-locked"),
        });
    await print(context, plan, dryRun, failed);
    if (failed.length > 0)
      throw new PartialFailureError(`${failed.length} of ${plan.deleted.length} deletions failed`, failed.length);
    return 0;
  },
};

interface Filter {
  repository: string | RegExp;
  literal: boolean;
  tags: RegExp;
  matches(name: string): boolean;
}

function parseFilter(text: string): Filter {
  const colon = text.indexOf(":");
  if (colon <= 0) throw new UsageError(`--filter must be REPO:REGEX, got ${JSON.stringify(text)}`);
  const repo = text.slice(0, colon);
  const tags = compilePattern(text.slice(colon + 1), "filter");
  if (isRepositoryName(repo)) return { repository: repo, literal: true, tags, matches: (name) => name === repo };
  const pattern = compilePattern(repo, "filter");
  return { repository: pattern, literal: false, tags, matches: (name) => pattern.test(name) };
}

async function deleteAll(
  context: CommandContext,
  client: ContainerRegistryClient,
  plan: PurgePlan,
  { keepGoing, unlock }: { keepGoing: boolean; unlock: boolean },
): Promise<Array<PurgedManifest & { error: string }>> {
  const signal = context.io.signal;
  const failed: Array<PurgedManifest & { error: string }> = [];
  const progress = context.progress("purge");
  let done = 0;
  const queue = [...plan.deleted];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      try {
        if (unlock) await unlockIfNeeded(client, item, signal);
        await client.deleteManifest(item.repository, item.digest, { signal });
      } catch (error) {
        if (!keepGoing) throw error;
        failed.push({ ...item, error: (error as Error).message });
      }
      progress.update({ bytes: 0, done: ++done, total: plan.deleted.length });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(context.concurrency, Math.max(1, queue.length)) }, worker));
  } finally {
    await progress.finish();
  }
  return failed;
}

/** With --include-locked, a locked manifest (or tag) is made deletable first. */
async function unlockIfNeeded(
  client: ContainerRegistryClient,
  item: PurgedManifest,
  signal: AbortSignal,
): Promise<void> {
  let properties;
  try {
    properties = await client.getManifestProperties(item.repository, item.digest, { signal });
  } catch (error) {
    if ((error as Error).name === "UnsupportedOperationError") return;
    throw error;
  }
  if (!properties.canDelete)
    await client.updateManifestProperties(item.repository, item.digest, { canDelete: true }, { signal });
  for (const tag of item.tags) {
    const tagProperties = await client.getTagProperties(item.repository, tag, { signal });
    if (!tagProperties.canDelete)
      await client.updateTagProperties(item.repository, tag, { canDelete: true }, { signal });
  }
}

async function print(
  context: CommandContext,
  plan: PurgePlan,
  dryRun: boolean,
  failed: Array<PurgedManifest & { error: string }>,
): Promise<void> {
  const document = {
    dryRun,
    deleted: plan.deleted,
    skippedLocked: plan.skippedLocked,
    protected: plan.protected,
    kept: plan.kept,
    failed,
  };
  const verb = dryRun ? "would delete" : "deleted";
  await context.output.result(document, () =>
    [
      ...plan.deleted.map(
        (m) => `${verb} ${m.repository}@${m.digest}${m.tags.length ? ` (${m.tags.join(", ")})` : ""}`,
      ),
      ...plan.skippedLocked.map((m) => `locked, kept ${m.repository}@${m.digest} (--include-locked deletes it)`),
      ...plan.protected.map((m) => `kept ${m.repository}@${m.digest}: ${m.reason}`),
      `${plan.deleted.length} ${dryRun ? "to delete" : "deleted"}, ${plan.kept} kept`,
    ].join("\n"),
  );
}
