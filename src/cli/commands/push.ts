/**
 * `acrkit push REF FILE[:TYPE]…`: an ORAS-convention artifact (each file a layer titled with its name).
 * @module
 */
import { basename } from "node:path";
import { fileSource, pushArtifact } from "acrkit/node";
import { listOption, positionals, stringOption } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { refOf, repositoryReference } from "../references";

/** The artifact type when none is given, as oras uses. */
const DEFAULT_ARTIFACT_TYPE = "application/vnd.unknown.artifact.v1";

/** The `push` command. */
export const push: Command = {
  name: "push",
  summary: "push files as an OCI artifact (ORAS conventions)",
  usage: "acrkit push HOST/REPO[:TAG] FILE[:TYPE]… [--artifact-type TYPE] [--annotation K=V]… [--subject REF]",
  options: [
    {
      name: "artifact-type",
      type: "string",
      value: "TYPE",
      description: `the artifact's type (default ${DEFAULT_ARTIFACT_TYPE})`,
    },
    { name: "annotation", type: "list", value: "KEY=VALUE", description: "an annotation on the manifest" },
    {
      name: "subject",
      type: "string",
      value: "REF",
      description: "attach to this manifest (a signature, an SBOM): the artifact becomes its referrer",
    },
  ],
  async run(args, context) {
    const [text, ...fileArgs] = positionals(args, 2, push.usage, true);
    const ref = repositoryReference(text!, false);
    const files = fileArgs.map((arg) => {
      // A TYPE has a slash; a Windows drive (C:\…) does not.
      const match = /^(.+):([^:\\/]+\/[^:\\]+)$/.exec(arg);
      const path = match ? match[1]! : arg;
      return { name: basename(path), data: fileSource(path), ...(match ? { mediaType: match[2] } : {}) };
    });
    const annotations: Record<string, string> = {};
    for (const pair of listOption(args, "annotation")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new UsageError(`--annotation must be KEY=VALUE, got ${JSON.stringify(pair)}`);
      annotations[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const subjectText = stringOption(args, "subject");
    const subjectRef = subjectText === undefined ? undefined : repositoryReference(subjectText, true);
    if (subjectRef && (subjectRef.registry !== ref.registry || subjectRef.repository !== ref.repository))
      throw new UsageError("--subject must be in the same repository as the artifact");
    const client = await context.client(ref.registry);
    const signal = context.io.signal;
    let subject;
    if (subjectRef) {
      const got = await client.getManifest(subjectRef.repository, refOf(subjectRef), { signal });
      subject = { mediaType: got.mediaType, digest: got.digest, size: got.bytes.byteLength };
    }
    const result = await pushArtifact(
      client,
      ref.repository,
      {
        files,
        artifactType: stringOption(args, "artifact-type") ?? DEFAULT_ARTIFACT_TYPE,
        ...(Object.keys(annotations).length ? { annotations } : {}),
        ...(subject ? { subject } : {}),
        ...(ref.tag ? { tag: ref.tag } : {}),
      },
      { concurrency: context.concurrency, signal },
    );
    await context.output.result(
      { reference: `${ref.registry}/${ref.repository}@${result.digest}`, ...result },
      () => `${ref.registry}/${ref.repository}@${result.digest}`,
    );
    return 0;
  },
};
