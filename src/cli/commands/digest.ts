/**
 * `acrkit digest REF`: the digest a tag names, from a HEAD.
 * @module
 */
import { positionals } from "../args";
import type { Command } from "../command";
import { NotFoundError } from "../exit-codes";
import { refOf, repositoryReference } from "../references";

/** The `digest` command. */
export const digest: Command = {
  name: "digest",
  summary: "print the digest a reference names (one HEAD)",
  usage: "acrkit digest REF",
  options: [
    { name: "full-ref", type: "boolean", description: "print HOST/REPO:TAG@DIGEST instead of the digest alone" },
  ],
  async run(args, context) {
    const [text] = positionals(args, 1, digest.usage);
    const ref = repositoryReference(text!, true);
    const client = await context.client(ref.registry);
    const found = await client.resolveDigest(ref.repository, refOf(ref), { signal: context.io.signal });
    if (found === undefined) throw new NotFoundError(`${text} not found`);
    const full = `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}@${found}`;
    await context.output.result({ reference: full, digest: found }, () => (args.options["full-ref"] ? full : found));
    return 0;
  },
};
