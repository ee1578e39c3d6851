/**
 * `acrkit pull REF -o DIR`: an artifact's files into a directory, each verified against its digest before it is
 * renamed into place. A pull that was interrupted (even killed) continues its partial files with Range.
 * @module
 */
import { pullArtifactToDirectory } from "acrkit/node";
import { positionals, stringOption } from "../args";
import type { Command } from "../command";
import { refOf, repositoryReference } from "../references";

/** The `pull` command. */
export const pull: Command = {
  name: "pull",
  summary: "pull an artifact's files into a directory, verified",
  usage: "acrkit pull REF -o DIR",
  details: `-o here is the directory (the result format is --output json). File names outside DIR (../x, absolute paths)
are refused. A pull that stops part-way keeps .NAME.DIGEST.partial files and continues them when run again.`,
  options: [
    { name: "dir", short: "o", type: "string", value: "DIR", description: "the directory to write to (default .)" },
  ],
  async run(args, context) {
    const [text] = positionals(args, 1, pull.usage);
    const ref = repositoryReference(text!, true);
    const dir = stringOption(args, "dir") ?? ".";
    const client = await context.client(ref.registry);
    const result = await pullArtifactToDirectory(client, ref.repository, refOf(ref), dir, {
      concurrency: context.concurrency,
      signal: context.io.signal,
      resume: true,
    });
    await context.output.result(result, () =>
      result.files.map((file) => `${file.digest} ${file.size} ${file.path}`).join("\n"),
    );
    return 0;
  },
};
