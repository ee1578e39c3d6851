/**
 * `acrkit untag REF…`: removes tags, never a manifest. ACR and OCI 1.1 registries delete a tag alone; on a registry
 * that cannot, the library's error says so and nothing is deleted.
 * @module
 */
import { positionals } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { repositoryReference } from "../references";

/** The `untag` command. */
export const untag: Command = {
  name: "untag",
  summary: "remove tags only; the manifest and its other tags stay",
  usage: "acrkit untag HOST/REPO:TAG…",
  options: [],
  async run(args, context) {
    const refs = positionals(args, 1, untag.usage, true).map((text) => {
      const ref = repositoryReference(text, true);
      if (ref.tag === undefined || ref.digest !== undefined)
        throw new UsageError(
          `untag takes HOST/REPO:TAG, got ${JSON.stringify(text)} (to delete a manifest, use acrkit rm)`,
        );
      return ref;
    });
    const removed: string[] = [];
    for (const ref of refs) {
      const client = await context.client(ref.registry);
      await client.deleteTag(ref.repository, ref.tag!, { signal: context.io.signal });
      removed.push(`${ref.registry}/${ref.repository}:${ref.tag}`);
    }
    await context.output.result({ untagged: removed }, () => removed.map((r) => `untagged ${r}`).join("\n"));
    return 0;
  },
};
