/**
 * `acrkit rm REF…`: deletes manifests. A tagged manifest is deleted only with --with-tags (its tags go with it);
 * --dry-run says what would go.
 * @module
 */
import type { ContainerRegistryClient } from "acrkit";
import { flag, positionals } from "../args";
import type { Command } from "../command";
import { LockedError, NotFoundError } from "../exit-codes";
import { refOf, repositoryReference } from "../references";

/** The `rm` command. */
export const rm: Command = {
  name: "rm",
  summary: "delete manifests (tagged ones only with --with-tags)",
  usage: "acrkit rm REF… [--with-tags] [--dry-run]",
  details:
    "REF by tag deletes the manifest the tag names, with every tag on it: it needs --with-tags. To remove one tag, use acrkit untag.",
  options: [
    {
      name: "with-tags",
      type: "boolean",
      description: "delete a manifest even when tags name it (they are deleted with it)",
    },
    { name: "dry-run", type: "boolean", description: "say what would be deleted, delete nothing" },
  ],
  async run(args, context) {
    const refs = positionals(args, 1, rm.usage, true).map((text) => repositoryReference(text, true));
    const signal = context.io.signal;
    const plan: Array<{ repository: string; registry: string; digest: string; tags: string[] }> = [];
    for (const ref of refs) {
      const client = await context.client(ref.registry);
      const digest = await client.resolveDigest(ref.repository, refOf(ref), { signal });
      if (digest === undefined) throw new NotFoundError(`${ref.registry}/${ref.repository}@${refOf(ref)} not found`);
      const tags = await tagsOf(client, ref.repository, digest, signal, ref.tag);
      if (tags.length > 0 && !flag(args, "with-tags")) {
        throw new LockedError(
          `${ref.registry}/${ref.repository}@${digest} is tagged (${tags.join(", ")}): add --with-tags to delete it with its tags, or use acrkit untag`,
        );
      }
      plan.push({ registry: ref.registry, repository: ref.repository, digest, tags });
    }
    if (!flag(args, "dry-run")) {
      for (const item of plan)
        await (await context.client(item.registry)).deleteManifest(item.repository, item.digest, { signal });
    }
    const verb = flag(args, "dry-run") ? "would delete" : "deleted";
    await context.output.result({ dryRun: flag(args, "dry-run"), deleted: plan }, () =>
      plan
        .map(
          (item) =>
            `${verb} ${item.registry}/${item.repository}@${item.digest}${item.tags.length ? ` (tags: ${item.tags.join(", ")})` : ""}`,
        )
        .join("\n"),
    );
    return 0;
  },
};

/** The tags naming a digest: from ACR's properties, else the tag the reference gave (other registries cannot say). */
async function tagsOf(
  client: ContainerRegistryClient,
  repository: string,
  digest: string,
  signal: AbortSignal,
  given: string | undefined,
): Promise<string[]> {
  try {
    return (await client.getManifestProperties(repository, digest, { signal })).tags;
  } catch (error) {
    if ((error as Error).name !== "UnsupportedOperationError") throw error;
    const tags = new Set(given ? [given] : []);
    for await (const tag of client.listTagProperties(repository, { digest, signal })) tags.add(tag.name);
    return [...tags];
  }
}
