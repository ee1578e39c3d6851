/**
 * `acrkit props get|set REF`: ACR's properties and locks of a repository, tag or manifest.
 * @module
 */
import { positionals, stringOption } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { repositoryReference } from "../references";

const USAGE =
  "acrkit props get|set HOST/REPO[:TAG|@DIGEST] [--delete-enabled B] [--write-enabled B] [--list-enabled B] [--read-enabled B]";
const FLAGS = [
  ["delete-enabled", "canDelete"],
  ["write-enabled", "canWrite"],
  ["list-enabled", "canList"],
  ["read-enabled", "canRead"],
] as const;

/** The `props` command. */
export const props: Command = {
  name: "props",
  summary: "ACR properties and locks of a repository, tag or manifest",
  usage: USAGE,
  details:
    "HOST/REPO alone is the repository; :TAG the tag; @DIGEST the manifest. Locks: --write-enabled false makes it read-only, --delete-enabled false undeletable.",
  options: FLAGS.map(([name]) => ({
    name,
    type: "string" as const,
    value: "true|false",
    description: `set ${name.replace("-enabled", "")} permission`,
  })),
  async run(args, context) {
    const [action, text] = positionals(args, 2, USAGE);
    const ref = repositoryReference(text!, false);
    const client = await context.client(ref.registry);
    const signal = context.io.signal;
    const changes: Record<string, boolean> = {};
    for (const [name, field] of FLAGS) {
      const value = stringOption(args, name);
      if (value === undefined) continue;
      if (value !== "true" && value !== "false")
        throw new UsageError(`--${name} must be true or false, got ${JSON.stringify(value)}`);
      changes[field] = value === "true";
    }
    if (action === "get") {
      if (Object.keys(changes).length > 0) throw new UsageError("props get takes no --*-enabled option; use props set");
    } else if (action === "set") {
      if (Object.keys(changes).length === 0)
        throw new UsageError(
          "props set needs at least one of --delete-enabled, --write-enabled, --list-enabled, --read-enabled",
        );
    } else {
      throw new UsageError(`props takes get or set, got ${JSON.stringify(action)}. Usage: ${USAGE}`);
    }
    const set = action === "set";
    const result = ref.digest
      ? set
        ? await client.updateManifestProperties(ref.repository, ref.digest, changes, { signal })
        : await client.getManifestProperties(ref.repository, ref.digest, { signal })
      : ref.tag
        ? set
          ? await client.updateTagProperties(ref.repository, ref.tag, changes, { signal })
          : await client.getTagProperties(ref.repository, ref.tag, { signal })
        : set
          ? await client.updateRepositoryProperties(ref.repository, changes, { signal })
          : await client.getRepositoryProperties(ref.repository, { signal });
    await context.output.result(result, () =>
      Object.entries(result)
        .filter(([, value]) => typeof value !== "object" || value instanceof Date)
        .map(([key, value]) => `${key}: ${value instanceof Date ? value.toISOString() : String(value)}`)
        .join("\n"),
    );
    return 0;
  },
};
