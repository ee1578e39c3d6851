/**
 * `acrkit inspect REF`: a manifest's media type, size, platforms, config, layers, tags, locks and referrers;
 * `--raw` writes the exact manifest bytes, whose sha256 is the digest.
 * @module
 */
import type { ContainerRegistryClient, OciDescriptor } from "acrkit";
import { flag, positionals, stringOption } from "../args";
import type { Command } from "../command";
import { UsageError } from "../exit-codes";
import { collect } from "../collect";
import { refOf, repositoryReference } from "../references";

/** The `inspect` command. */
export const inspect: Command = {
  name: "inspect",
  summary: "media type, size, platforms, config, tags, locks and referrers of a manifest",
  usage: "acrkit inspect REF [--raw] [--platform OS/ARCH[/VARIANT]]",
  details:
    "Never needs the host's platform: an index is shown as an index. Tags and locks come from ACR's /acr/v1 where the registry has it.",
  options: [
    {
      name: "raw",
      type: "boolean",
      description: "write the manifest's exact bytes to stdout (their sha256 is the digest)",
    },
    {
      name: "platform",
      type: "string",
      value: "OS/ARCH[/VARIANT]",
      description: "resolve an index to one platform's manifest",
    },
  ],
  async run(args, context) {
    const [text] = positionals(args, 1, inspect.usage);
    const ref = repositoryReference(text!, true);
    const platformText = stringOption(args, "platform");
    const platform = platformText === undefined ? undefined : parsePlatform(platformText);
    const client = await context.client(ref.registry);
    const signal = context.io.signal;
    const got = await client.getManifest(ref.repository, refOf(ref), { signal, ...(platform ? { platform } : {}) });
    if (flag(args, "raw")) {
      await context.io.stdout.write(got.bytes);
      return 0;
    }
    const manifest = got.manifest as {
      manifests?: OciDescriptor[];
      config?: OciDescriptor;
      layers?: OciDescriptor[];
      artifactType?: string;
      subject?: OciDescriptor;
      annotations?: Record<string, string>;
    };
    const [properties, referrers] = await Promise.all([
      acrProperties(client, ref.repository, got.digest, signal),
      collect(client.listReferrers(ref.repository, got.digest, { signal })),
    ]);
    const summary = {
      reference: `${ref.registry}/${ref.repository}@${got.digest}`,
      digest: got.digest,
      mediaType: got.mediaType,
      size: got.bytes.byteLength,
      ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
      ...(manifest.manifests
        ? {
            platforms: manifest.manifests.map((entry) => ({
              digest: entry.digest,
              size: entry.size,
              mediaType: entry.mediaType,
              platform: entry.platform,
            })),
          }
        : {}),
      ...(manifest.config ? { config: manifest.config } : {}),
      ...(manifest.layers
        ? { layers: manifest.layers, layersSize: manifest.layers.reduce((sum, layer) => sum + layer.size, 0) }
        : {}),
      ...(manifest.subject ? { subject: manifest.subject } : {}),
      ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
      ...(properties
        ? {
            tags: properties.tags,
            canDelete: properties.canDelete,
            canWrite: properties.canWrite,
            canList: properties.canList,
            canRead: properties.canRead,
            createdOn: properties.createdOn,
            lastUpdatedOn: properties.lastUpdatedOn,
          }
        : {}),
      referrers,
    };
    await context.output.result(summary, () => {
      const lines = [
        `digest:     ${summary.digest}`,
        `mediaType:  ${summary.mediaType}`,
        `size:       ${summary.size}`,
      ];
      if (summary.artifactType) lines.push(`artifact:   ${summary.artifactType}`);
      for (const entry of summary.platforms ?? [])
        lines.push(`platform:   ${platformName(entry.platform)}  ${entry.digest}`);
      if (summary.config) lines.push(`config:     ${summary.config.mediaType} ${summary.config.digest}`);
      if (summary.layers) lines.push(`layers:     ${summary.layers.length} (${summary.layersSize} bytes)`);
      if (properties) {
        lines.push(`tags:       ${properties.tags.join(", ") || "<none>"}`);
        lines.push(
          `locks:      delete=${properties.canDelete} write=${properties.canWrite} list=${properties.canList} read=${properties.canRead}`,
        );
      }
      lines.push(`referrers:  ${referrers.length}`);
      for (const referrer of referrers)
        lines.push(`  ${referrer.artifactType ?? referrer.mediaType} ${referrer.digest}`);
      return lines.join("\n");
    });
    return 0;
  },
};

/** Parses `os/arch[/variant]`. */
export function parsePlatform(text: string): { os: string; architecture: string; variant?: string } {
  const [os, architecture, variant, extra] = text.split("/");
  if (!os || !architecture || extra !== undefined || variant === "")
    throw new UsageError(`--platform must be OS/ARCH or OS/ARCH/VARIANT, got ${JSON.stringify(text)}`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

function platformName(platform: { os?: string; architecture?: string; variant?: string } | undefined): string {
  return platform ? [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/") : "<none>";
}

/** ACR's manifest properties, or undefined on a registry without /acr/v1. */
async function acrProperties(client: ContainerRegistryClient, repository: string, digest: string, signal: AbortSignal) {
  try {
    return await client.getManifestProperties(repository, digest, { signal });
  } catch (error) {
    if ((error as Error).name === "UnsupportedOperationError") return undefined;
    throw error;
  }
}
