/**
 * Download images: get a manifest, then stream each layer and the config to a file, each verified against its digest
 * as it arrives (the seed's "Download images").
 *
 * Run: `npx tsx examples/download-image.ts [directory]`; without a directory the files go to a temporary one.
 * @module
 */
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { DigestValidationError, type ContainerRegistryClient } from "acrkit/node";
import { imageManifestOf } from "./support/image-manifest";
import { outputDirectory } from "./support/output-dir";
import { SAMPLE_REPOSITORY, seedSampleImage } from "./support/sample-image";
import { withRegistry } from "./support/registry";

/** Streams one blob to `path`; a digest mismatch errors the stream, and the partial file is removed. */
async function downloadTo(client: ContainerRegistryClient, digest: string, path: string): Promise<boolean> {
  const { body } = await client.downloadBlob(SAMPLE_REPOSITORY, digest);
  try {
    await body.pipeTo(Writable.toWeb(createWriteStream(path)));
    return true;
  } catch (error) {
    if (!(error instanceof DigestValidationError)) throw error;
    console.log(`Downloaded content did not match ${error.expected} (got ${error.actual}); deleting ${path}`);
    await rm(path, { force: true });
    return false;
  }
}

await withRegistry({ seed: seedSampleImage }, async ({ client }) => {
  const output = await outputDirectory("acrkit-download-image");
  try {
    // getManifest checks the bytes against their digest before parsing them.
    const result = await client.getManifest(SAMPLE_REPOSITORY, "latest");
    const manifest = imageManifestOf(result);
    console.log(`Got manifest ${result.digest} (${result.mediaType}):`);
    console.log(JSON.stringify(manifest, null, 2));

    for (const layer of manifest.layers) {
      // The file is named after the digest without its "sha256:" prefix, as in the seed sample.
      const path = join(output.path, layer.digest.split(":")[1]);
      if (await downloadTo(client, layer.digest, path)) console.log(`Got layer:  ${path}`);
    }
    const configPath = join(output.path, "config.json");
    if (await downloadTo(client, manifest.config.digest, configPath)) console.log(`Got config: ${configPath}`);
  } finally {
    await output.finish();
  }
});
