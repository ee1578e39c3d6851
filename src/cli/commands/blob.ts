/**
 * `acrkit blob get|put|rm`: raw blobs; `-` reads stdin or writes stdout.
 * @module
 */
import { downloadBlobToFile, fileSource } from "acrkit/node";
import { positionals } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { repositoryReference } from "../references";

const USAGE = "acrkit blob get HOST/REPO@DIGEST [FILE|-] | blob put HOST/REPO FILE|- | blob rm HOST/REPO@DIGEST";

/** The `blob` command. */
export const blob: Command = {
  name: "blob",
  summary: "get, put or delete a raw blob (- for stdin/stdout)",
  usage: USAGE,
  details:
    "get verifies the digest as it streams; into FILE it writes a partial file, renamed once verified and continued with Range if a run stops part-way.",
  options: [],
  async run(args, context) {
    const [action, text, path] = positionals(args, 2, USAGE, true);
    const signal = context.io.signal;
    if (action === "get") {
      const ref = digestReference(text!);
      const client = await context.client(ref.registry);
      if (path === undefined || path === "-") {
        const result = await client.downloadBlob(ref.repository, ref.digest, { signal });
        await result.body.pipeTo(context.io.stdout.writable(), { signal, preventClose: true });
        return 0;
      }
      const result = await downloadBlobToFile(client, ref.repository, ref.digest, path, { signal, resume: true });
      await context.output.result(result, () => `${result.digest} ${result.size} ${path}`);
      return 0;
    }
    if (action === "put") {
      const ref = repositoryReference(text!, false);
      if (path === undefined) throw new UsageError(`blob put needs FILE or -. Usage: ${USAGE}`);
      const client = await context.client(ref.registry);
      const data = path === "-" ? context.io.stdin() : fileSource(path);
      const result = await client.uploadBlob(ref.repository, data, { signal });
      await context.output.result(result, () => result.digest);
      return 0;
    }
    if (action === "rm") {
      const ref = digestReference(text!);
      const client = await context.client(ref.registry);
      await client.deleteBlob(ref.repository, ref.digest, { signal });
      await context.output.result({ deleted: ref.digest }, () => `deleted ${ref.digest}`);
      return 0;
    }
    throw new UsageError(`blob takes get, put or rm, got ${JSON.stringify(action)}. Usage: ${USAGE}`);
  },
};

function digestReference(text: string) {
  const ref = repositoryReference(text, true);
  if (ref.digest === undefined)
    throw new UsageError(`${JSON.stringify(text)} names no digest: write HOST/REPO@sha256:…`);
  return { ...ref, digest: ref.digest };
}
