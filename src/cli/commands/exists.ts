/**
 * `acrkit exists REF`: exit 0 when the manifest exists, 3 when not, nothing printed.
 * @module
 */
import { positionals } from "../args";
import type { Command } from "../command";
import { ExitCode } from "../exit-codes";
import { refOf, repositoryReference } from "../references";

/** The `exists` command. */
export const exists: Command = {
  name: "exists",
  summary: "exit 0 when REF exists, 3 when not; prints nothing",
  usage: "acrkit exists REF",
  details:
    "For scripts: `if acrkit exists HOST/REPO:TAG; then …`. Any other failure exits with its own code (1, 4, 5, 6).",
  options: [],
  async run(args, context) {
    const [text] = positionals(args, 1, exists.usage);
    const ref = repositoryReference(text!, true);
    const client = await context.client(ref.registry);
    return (await client.manifestExists(ref.repository, refOf(ref), { signal: context.io.signal }))
      ? ExitCode.ok
      : ExitCode.notFound;
  },
};
