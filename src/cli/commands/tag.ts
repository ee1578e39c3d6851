/**
 * `acrkit tag REF NEWTAG…`: more tags on a manifest, one manifest PUT each, no blob moved.
 * @module
 */
import { isTag } from "acrkit";
import { positionals } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { refOf, repositoryReference } from "../references";

/** The `tag` command. */
export const tag: Command = {
  name: "tag",
  summary: "add tags to a manifest (no blob is sent)",
  usage: "acrkit tag REF NEWTAG…",
  options: [],
  async run(args, context) {
    const [text, ...tags] = positionals(args, 2, tag.usage, true);
    const ref = repositoryReference(text!, true);
    for (const name of tags)
      if (!isTag(name))
        throw new UsageError(
          `Invalid tag ${JSON.stringify(name)}: up to 128 of [A-Za-z0-9_.-], not starting with . or -`,
        );
    const client = await context.client(ref.registry);
    const signal = context.io.signal;
    const { bytes, mediaType, digest } = await client.getManifest(ref.repository, refOf(ref), { signal });
    for (const name of tags) await client.setManifest(ref.repository, bytes, { tag: name, mediaType, signal });
    await context.output.result({ repository: ref.repository, digest, tags }, () =>
      tags.map((name) => `${ref.registry}/${ref.repository}:${name}@${digest}`).join("\n"),
    );
    return 0;
  },
};
