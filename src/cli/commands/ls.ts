/**
 * `acrkit ls REGISTRY` lists repositories; `acrkit ls REGISTRY/REPO` lists tags (or every manifest with --manifests).
 * @module
 */
import type { ArtifactManifestProperties, ArtifactTagProperties, PagedAsyncIterableIterator } from "acrkit";
import { integerOption, listOption, flag, positionals, stringOption } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { compilePattern, parseDuration, parseReference } from "../references";
import { compareSemver } from "../semver";

/** The `ls` command. */
export const ls: Command = {
  name: "ls",
  summary: "list repositories, or a repository's tags or manifests",
  usage:
    "acrkit ls REGISTRY | REGISTRY/REPO [--manifests] [--include RE] [--exclude RE] [--older-than 30d] [--sort time|name|semver] [--limit N]",
  details: `With -o jsonl each item is written as it arrives, before the next page is asked for (unless --sort name|semver, which
needs the whole list). --sort time asks ACR for newest first (one request per page); on other registries it sorts
what the listing says. Fields are the library's: name, digest, createdOn, lastUpdatedOn, canDelete, …`,
  options: [
    { name: "manifests", type: "boolean", description: "every manifest of the repository, untagged ones too" },
    {
      name: "include",
      type: "list",
      value: "REGEX",
      description: "only names (tags, or repositories) matching the whole expression",
    },
    { name: "exclude", type: "list", value: "REGEX", description: "leave out names matching" },
    {
      name: "older-than",
      type: "string",
      value: "DURATION",
      description: "only items last updated before now minus DURATION (30d, 12h)",
    },
    {
      name: "sort",
      type: "string",
      value: "time|name|semver",
      description: "order: newest first, by name, or by semantic version (highest first)",
    },
    { name: "limit", type: "string", value: "N", description: "at most N items" },
    { name: "page-size", type: "string", value: "N", description: "ask the registry for N items a page" },
  ],
  async run(args, context) {
    const [text] = positionals(args, 1, ls.usage);
    const target = parseReference(text!);
    if (target.kind !== "registry") throw new UsageError("ls takes a registry or a repository, not an OCI layout");
    if (target.tag !== undefined || target.digest !== undefined)
      throw new UsageError(`ls takes REGISTRY or REGISTRY/REPO, without a tag or digest: ${JSON.stringify(text)}`);
    const include = listOption(args, "include").map((re) => compilePattern(re, "include"));
    const exclude = listOption(args, "exclude").map((re) => compilePattern(re, "exclude"));
    const olderText = stringOption(args, "older-than");
    const cutoff = olderText === undefined ? undefined : context.io.now() - parseDuration(olderText, "older-than");
    const sort = stringOption(args, "sort");
    if (sort !== undefined && !["time", "name", "semver"].includes(sort))
      throw new UsageError(`--sort must be time, name or semver, got ${JSON.stringify(sort)}`);
    const limit = integerOption(args, "limit", undefined);
    const pageSize = integerOption(args, "page-size", undefined);
    const pages = <T>(listing: PagedAsyncIterableIterator<T>): AsyncIterable<T> =>
      pageSize === undefined ? listing : flatten(listing.byPage({ maxPageSize: pageSize }));
    const named = (name: string) =>
      (include.length === 0 || include.some((re) => re.test(name))) && !exclude.some((re) => re.test(name));
    const client = await context.client(target.registry);
    const signal = context.io.signal;

    if (target.repository === undefined) {
      if (flag(args, "manifests") || cutoff !== undefined || sort === "time")
        throw new UsageError("--manifests, --older-than and --sort time apply to a repository (REGISTRY/REPO)");
      let names = filterLimit(pages(client.listRepositoryNames({ signal })), (name) => named(name), limit);
      if (sort) names = sorted(names, (a, b) => (sort === "semver" ? compareSemver(b, a) : a.localeCompare(b)));
      await context.output.list(
        "repositories",
        mapAsync(names, (name) => ({ name })),
        (item) => item.name,
      );
      return 0;
    }
    const repository = target.repository;
    const older = (item: { lastUpdatedOn?: Date }) =>
      cutoff === undefined || (item.lastUpdatedOn !== undefined && item.lastUpdatedOn.getTime() < cutoff);
    if (flag(args, "manifests")) {
      const source = pages(
        client.listManifestProperties(repository, {
          signal,
          ...(sort === "time" ? { orderBy: "timedesc" as const } : {}),
        }),
      );
      let items = filterLimit(
        source,
        (m) =>
          older(m) &&
          (include.length === 0 && exclude.length === 0
            ? true
            : m.tags.some(named) || (include.length === 0 && m.tags.length === 0)),
        limit,
      );
      if (sort === "name" || sort === "semver")
        items = sorted(items, (a, b) => compareNames(sort, a.tags[0] ?? a.digest, b.tags[0] ?? b.digest));
      await context.output.list("manifests", items, manifestLine);
      return 0;
    }
    const source = pages(
      client.listTagProperties(repository, { signal, ...(sort === "time" ? { orderBy: "timedesc" as const } : {}) }),
    );
    let tags = filterLimit(
      source,
      (tag) => named(tag.name) && older(tag),
      sort === "name" || sort === "semver" ? undefined : limit,
    );
    if (sort === "name" || sort === "semver")
      tags = take(
        sorted(tags, (a, b) => compareNames(sort, a.name, b.name)),
        limit,
      );
    await context.output.list("tags", tags, tagLine);
    return 0;
  },
};

function compareNames(sort: string, a: string, b: string): number {
  return sort === "semver" ? compareSemver(b, a) : a.localeCompare(b);
}

function tagLine(tag: ArtifactTagProperties): string {
  return [tag.name, tag.digest, tag.lastUpdatedOn?.toISOString?.() ?? ""].join("\t").trimEnd();
}

function manifestLine(manifest: ArtifactManifestProperties): string {
  return [
    manifest.digest,
    manifest.tags.join(",") || "<untagged>",
    manifest.lastUpdatedOn?.toISOString?.() ?? "",
    manifest.mediaType ?? "",
  ]
    .join("\t")
    .trimEnd();
}

async function* filterLimit<T>(
  items: AsyncIterable<T>,
  keep: (item: T) => boolean,
  limit: number | undefined,
): AsyncIterable<T> {
  if (limit === 0) return;
  let count = 0;
  for await (const item of items) {
    if (!keep(item)) continue;
    yield item;
    if (limit !== undefined && ++count >= limit) return;
  }
}

async function* sorted<T>(items: AsyncIterable<T>, compare: (a: T, b: T) => number): AsyncIterable<T> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  yield* all.sort(compare);
}

async function* take<T>(items: AsyncIterable<T>, limit: number | undefined): AsyncIterable<T> {
  let count = 0;
  for await (const item of items) {
    if (limit !== undefined && count++ >= limit) return;
    yield item;
  }
}

async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncIterable<T> {
  for await (const page of pages) yield* page;
}

async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncIterable<U> {
  for await (const item of items) yield map(item);
}
