/**
 * `acrkit cp SRC DST`: an image, index or artifact across repositories and registries, and to or from an OCI image
 * layout; digests kept, referrers copied, blobs mounted within one registry, nothing sent when the destination has it.
 * @module
 */
import {
  copyImage,
  pullToOciLayout,
  pushOciLayout,
  type ContainerRegistryClient,
  type CopyProgress,
  type OciDescriptor,
  type RegistryImageReference,
} from "acrkit/node";
import { flag, listOption, positionals } from "../args";
import type { Command } from "../command";
import type { CommandContext } from "../context";
import { PartialFailureError, UsageError } from "../exit-codes";
import { collect } from "../collect";
import { compilePattern, parseReference, refOf, type RepositoryReference } from "../references";
import { parsePlatform } from "./inspect";

/** What one copy did. */
interface CopyReport {
  source: string;
  destination: string;
  digest?: string;
  status: "copied" | "unchanged" | "planned" | "failed";
  mediaType?: string;
  manifests?: number;
  blobs?: Record<string, number>;
  referrers?: number;
  error?: string;
}

/** How deep referrers of referrers are followed (a signature of an SBOM of an image is depth 2). */
const REFERRER_DEPTH = 4;

/** The `cp` command. */
export const cp: Command = {
  name: "cp",
  summary: "copy an image, index or artifact (digests kept, referrers too)",
  usage:
    "acrkit cp SRC DST [--no-referrers] [--platform OS/ARCH]… [--all-tags [--include RE] [--exclude RE]] [--concurrency N] [--dry-run]",
  details: `SRC and DST are HOST/REPO[:TAG][@DIGEST] or oci:DIR[:TAG]. Every platform of an index is copied and the digest
stays the same; --platform (repeatable) copies only those platforms into a new index, whose digest differs.
Within one registry blobs are mounted, never sent. When DST already holds SRC's digest (and its referrers), nothing
is written and the status is "unchanged" (exit 0). --all-tags copies every tag of SRC's repository into DST's.`,
  options: [
    { name: "no-referrers", type: "boolean", description: "do not copy signatures, SBOMs and other referrers" },
    {
      name: "platform",
      type: "list",
      value: "OS/ARCH[/VARIANT]",
      description: "copy only these platforms of an index (the digest changes)",
    },
    { name: "all-tags", type: "boolean", description: "copy every tag of SRC's repository (SRC and DST without tag)" },
    { name: "include", type: "list", value: "REGEX", description: "with --all-tags: only tags matching" },
    { name: "exclude", type: "list", value: "REGEX", description: "with --all-tags: leave out tags matching" },
    {
      name: "concurrency",
      type: "string",
      value: "N",
      description: "blob transfers and requests at once per registry (default 8)",
    },
    {
      name: "keep-going",
      type: "boolean",
      description: "with --all-tags: go on after a failed tag; exit 8 if any failed",
    },
    { name: "dry-run", type: "boolean", description: "say what would be copied, write nothing" },
  ],
  async run(args, context) {
    const [srcText, dstText] = positionals(args, 2, cp.usage);
    const source = parseReference(srcText!);
    const destination = parseReference(dstText!);
    const platforms = listOption(args, "platform").map(parsePlatform);
    const referrers = !flag(args, "no-referrers");
    const dryRun = flag(args, "dry-run");
    if (source.kind === "oci-layout" || destination.kind === "oci-layout") {
      if (platforms.length > 0 || flag(args, "all-tags"))
        throw new UsageError("--platform and --all-tags apply to registry-to-registry copies");
      if (source.kind === "oci-layout" && destination.kind === "oci-layout")
        throw new UsageError("cp copies between a registry and a layout, or two registries; not layout to layout");
      return layoutCopy(context, srcText!, dstText!, dryRun);
    }
    const src = needRepository(source, srcText!);
    const dst = needRepository(destination, dstText!);
    if (flag(args, "all-tags"))
      return allTags(context, src, dst, {
        referrers,
        dryRun,
        keepGoing: flag(args, "keep-going"),
        include: listOption(args, "include"),
        exclude: listOption(args, "exclude"),
      });
    if (src.tag === undefined && src.digest === undefined)
      throw new UsageError(`${JSON.stringify(srcText)} names no tag or digest (or give --all-tags)`);
    if (dst.digest !== undefined && platforms.length > 0)
      throw new UsageError("--platform makes a new index: the destination needs a tag, not a digest");
    if (platforms.length > 0)
      await context.note(
        `warning: --platform copies ${platforms.length} platform(s) into a new index: its digest differs from the source's`,
      );
    const report = await copyOne(context, src, withDefaultTag(dst, src), { referrers, dryRun, platforms });
    await printReport(context, report);
    return 0;
  },
};

function needRepository(reference: RegistryImageReference, text: string): RepositoryReference {
  if (reference.repository === undefined) throw new UsageError(`${JSON.stringify(text)} names no repository`);
  return reference as RepositoryReference;
}

/** A destination without tag or digest takes the source's tag (or is stored by digest). */
function withDefaultTag(dst: RepositoryReference, src: RepositoryReference): RepositoryReference {
  if (dst.tag !== undefined || dst.digest !== undefined) return dst;
  return src.tag !== undefined ? { ...dst, tag: src.tag } : { ...dst, digest: src.digest };
}

function show(reference: RepositoryReference): string {
  return `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ""}${reference.digest ? `@${reference.digest}` : ""}`;
}

interface CopyOptions {
  referrers: boolean;
  dryRun: boolean;
  platforms: Array<{ os: string; architecture: string; variant?: string }>;
}

/** Copies one reference: unchanged when the destination has the digest (and the referrers), else the whole graph. */
async function copyOne(
  context: CommandContext,
  src: RepositoryReference,
  dst: RepositoryReference,
  options: CopyOptions,
): Promise<CopyReport> {
  const signal = context.io.signal;
  // A mount within one registry asks for both repositories in one token: declared, the first token covers the copy.
  context.declareScopes(src.registry, `repository:${src.repository}:pull`);
  context.declareScopes(dst.registry, `repository:${dst.repository}:pull,push`);
  if (src.registry === dst.registry) context.declareScopes(dst.registry, `repository:${src.repository}:pull`);
  const [from, to] = await Promise.all([context.client(src.registry), context.client(dst.registry)]);
  const report: CopyReport = { source: show(src), destination: show(dst), status: "copied" };
  if (options.platforms.length > 0) return copyPlatforms(context, from, to, src, dst, options, report);
  // The source's top manifest is read once: the cache of manifests by digest answers copyImage's read of it. What the
  // destination holds is asked at the same time: the two answers are independent, and each is a round trip.
  const [root, there] = await Promise.all([
    from.getManifest(src.repository, refOf(src), { signal }),
    to.resolveDigest(dst.repository, dst.digest ?? dst.tag!, { signal }),
  ]);
  report.digest = root.digest;
  report.mediaType = root.mediaType;
  // Referrers are listed while the blobs move; a copy that may be unchanged, or a dry run, waits for the list first.
  const listing = options.referrers
    ? collect(from.listReferrers(src.repository, root.digest, { signal }))
    : Promise.resolve([]);
  listing.catch(() => undefined); // awaited below; a copy that fails first reports its own error
  if (there === root.digest && (await allPresent(to, dst.repository, await listing, signal))) {
    report.status = "unchanged";
    report.referrers = (await listing).length;
    return report;
  }
  if (options.dryRun) {
    report.status = "planned";
    report.referrers = (await listing).length;
    return report;
  }
  const progress = context.progress(`cp ${report.source}`);
  const onProgress = (p: CopyProgress) =>
    progress.update({ bytes: p.completedBytes, done: p.completedBlobs, total: p.totalBlobs });
  try {
    const result = await copyImage(
      { client: from, repository: src.repository, reference: root.digest },
      { client: to, repository: dst.repository, reference: dst.tag ?? root.digest },
      { concurrency: context.concurrency, onProgress, signal },
    );
    report.manifests = result.manifests;
    report.blobs = { ...result.blobs };
    report.referrers = await copyReferrers(
      context,
      from,
      to,
      src.repository,
      dst.repository,
      await listing,
      REFERRER_DEPTH,
      report.blobs,
    );
  } finally {
    await progress.finish();
  }
  return report;
}

/** Copies referrers (and theirs, to a depth) by digest; returns how many were copied or already there. */
async function copyReferrers(
  context: CommandContext,
  from: ContainerRegistryClient,
  to: ContainerRegistryClient,
  srcRepository: string,
  dstRepository: string,
  referrers: OciDescriptor[],
  depth: number,
  blobs: Record<string, number>,
): Promise<number> {
  const signal = context.io.signal;
  let count = 0;
  for (const referrer of referrers) {
    count++;
    if (!(await to.manifestExists(dstRepository, referrer.digest, { signal }))) {
      const result = await copyImage(
        { client: from, repository: srcRepository, reference: referrer.digest },
        { client: to, repository: dstRepository, reference: referrer.digest },
        { concurrency: context.concurrency, signal },
      );
      for (const [action, n] of Object.entries(result.blobs)) blobs[action] = (blobs[action] ?? 0) + n;
    }
    if (depth > 1)
      count += await copyReferrers(
        context,
        from,
        to,
        srcRepository,
        dstRepository,
        await collect(from.listReferrers(srcRepository, referrer.digest, { signal })),
        depth - 1,
        blobs,
      );
  }
  return count;
}

async function allPresent(
  client: ContainerRegistryClient,
  repository: string,
  descriptors: OciDescriptor[],
  signal: AbortSignal,
): Promise<boolean> {
  for (const descriptor of descriptors)
    if (!(await client.manifestExists(repository, descriptor.digest, { signal }))) return false;
  return true;
}

/** --platform: the chosen platforms' manifests copied by digest, then a new index of them under the tag. */
async function copyPlatforms(
  context: CommandContext,
  from: ContainerRegistryClient,
  to: ContainerRegistryClient,
  src: RepositoryReference,
  dst: RepositoryReference,
  options: CopyOptions,
  report: CopyReport,
): Promise<CopyReport> {
  const signal = context.io.signal;
  const root = await from.getManifest(src.repository, refOf(src), { signal });
  const index = root.manifest as {
    manifests?: Array<OciDescriptor & { platform?: { os?: string; architecture?: string; variant?: string } }>;
  };
  if (!Array.isArray(index.manifests))
    throw new UsageError(`${report.source} is a single image, not an index: --platform does not apply`);
  const chosen = index.manifests.filter((entry) =>
    options.platforms.some(
      (p) =>
        entry.platform?.os === p.os &&
        entry.platform?.architecture === p.architecture &&
        (p.variant === undefined || entry.platform?.variant === p.variant),
    ),
  );
  if (chosen.length !== options.platforms.length) {
    const available = index.manifests
      .map((entry) =>
        [entry.platform?.os, entry.platform?.architecture, entry.platform?.variant].filter(Boolean).join("/"),
      )
      .join(", ");
    throw new UsageError(`${report.source} does not have every platform asked for; it has ${available}`);
  }
  const filtered = { ...root.manifest, manifests: chosen };
  report.mediaType = root.mediaType;
  if (options.dryRun) {
    report.status = "planned";
    return report;
  }
  report.blobs = {};
  for (const entry of chosen) {
    const result = await copyImage(
      { client: from, repository: src.repository, reference: entry.digest },
      { client: to, repository: dst.repository, reference: entry.digest },
      { concurrency: context.concurrency, signal },
    );
    for (const [action, n] of Object.entries(result.blobs)) report.blobs[action] = (report.blobs[action] ?? 0) + n;
  }
  report.digest = await to.setManifest(dst.repository, filtered, { tag: dst.tag, mediaType: root.mediaType, signal });
  report.manifests = chosen.length + 1;
  return report;
}

/** --all-tags: each tag of the source repository (filtered) to the same tag in the destination. */
async function allTags(
  context: CommandContext,
  src: RepositoryReference,
  dst: RepositoryReference,
  options: { referrers: boolean; dryRun: boolean; keepGoing: boolean; include: string[]; exclude: string[] },
): Promise<number> {
  if (src.tag || src.digest || dst.tag || dst.digest)
    throw new UsageError("--all-tags takes SRC and DST repositories without tag or digest");
  const include = options.include.map((re) => compilePattern(re, "include"));
  const exclude = options.exclude.map((re) => compilePattern(re, "exclude"));
  const from = await context.client(src.registry);
  const reports: CopyReport[] = [];
  let failed = 0;
  for await (const tag of from.listTagProperties(src.repository, { signal: context.io.signal })) {
    if ((include.length > 0 && !include.some((re) => re.test(tag.name))) || exclude.some((re) => re.test(tag.name)))
      continue;
    try {
      const report = await copyOne(
        context,
        { ...src, tag: tag.name },
        { ...dst, tag: tag.name },
        { referrers: options.referrers, dryRun: options.dryRun, platforms: [] },
      );
      reports.push(report);
      if (context.output.format === "jsonl") await context.io.stdout.write(`${JSON.stringify(report)}\n`);
      else if (context.output.format === "text") await context.io.stdout.write(`${reportLine(report)}\n`);
    } catch (error) {
      if (!options.keepGoing) throw error;
      failed++;
      const report: CopyReport = {
        source: `${show(src)}:${tag.name}`,
        destination: `${show(dst)}:${tag.name}`,
        status: "failed",
        error: (error as Error).message,
      };
      reports.push(report);
      await context.io.stderr.write(`acrkit: ${report.source}: ${report.error}\n`);
      if (context.output.format === "jsonl") await context.io.stdout.write(`${JSON.stringify(report)}\n`);
    }
  }
  if (context.output.format === "json")
    await context.io.stdout.write(`${JSON.stringify({ copies: reports, failed })}\n`);
  if (failed > 0) throw new PartialFailureError(`${failed} of ${reports.length} tags failed to copy`, failed);
  return 0;
}

/** Copies between a registry and an OCI image layout (skopeo's oci: transport). */
async function layoutCopy(context: CommandContext, srcText: string, dstText: string, dryRun: boolean): Promise<number> {
  const source = parseReference(srcText);
  const destination = parseReference(dstText);
  const signal = context.io.signal;
  const progress = context.progress(`cp ${srcText}`);
  const onProgress = (p: CopyProgress) =>
    progress.update({ bytes: p.completedBytes, done: p.completedBlobs, total: p.totalBlobs });
  try {
    if (source.kind === "oci-layout" && destination.kind === "registry") {
      const dst = needRepository(destination, dstText);
      const tag = source.tag ?? dst.tag;
      if (tag === undefined || (dst.tag !== undefined && dst.tag !== tag) || dst.digest !== undefined) {
        throw new UsageError(
          "from a layout, the destination tag is the layout's image name: write oci:DIR:TAG and HOST/REPO[:TAG] with the same tag",
        );
      }
      const target = `${dst.registry}/${dst.repository}:${tag}`;
      if (dryRun) {
        await printReport(context, { source: srcText, destination: target, status: "planned" });
        return 0;
      }
      const client = await context.client(dst.registry);
      const { digest } = await pushOciLayout(source.path, client, dst.repository, tag, { onProgress, signal });
      await printReport(context, { source: srcText, destination: target, digest, status: "copied" });
      return 0;
    }
    if (source.kind === "registry" && destination.kind === "oci-layout") {
      const src = needRepository(source, srcText);
      if (src.tag === undefined && src.digest === undefined)
        throw new UsageError(`${JSON.stringify(srcText)} names no tag or digest`);
      if (destination.tag !== undefined && destination.tag !== src.tag)
        throw new UsageError(
          "into a layout, the image is named by the source's tag: write oci:DIR or oci:DIR:<the same tag>",
        );
      if (dryRun) {
        await printReport(context, { source: srcText, destination: dstText, status: "planned" });
        return 0;
      }
      const client = await context.client(src.registry);
      const { digest } = await pullToOciLayout(client, src.repository, refOf(src), destination.path, {
        onProgress,
        signal,
      });
      await printReport(context, { source: srcText, destination: dstText, digest, status: "copied" });
      return 0;
    }
    throw new UsageError("cp copies between a registry and a layout, or two registries");
  } finally {
    await progress.finish();
  }
}

function reportLine(report: CopyReport): string {
  const blobs = report.blobs
    ? ` (blobs: ${Object.entries(report.blobs)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")})`
    : "";
  return `${report.status} ${report.source} -> ${report.destination}${report.digest ? ` ${report.digest}` : ""}${blobs}`;
}

async function printReport(context: CommandContext, report: CopyReport): Promise<void> {
  await context.output.result(report, () => reportLine(report));
}
