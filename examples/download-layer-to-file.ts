/**
 * Download a layer to a file: `downloadBlobToFile` writes to a temporary file and renames it into place only once the
 * digest is verified, so the file is either complete and correct or not there at all.
 *
 * Run: `npx tsx examples/download-layer-to-file.ts [directory]`. It downloads the largest layer of
 * sample-oci-image:latest (upload-image.ts pushes one); offline, an emulator holds a 16 MiB layer.
 * @module
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { downloadBlobToFile } from "acrkit/node";
import { imageManifestOf } from "./support/image-manifest";
import { outputDirectory } from "./support/output-dir";
import { formatBytes, progressBar } from "./support/progress";
import { withRegistry } from "./support/registry";
import { SAMPLE_REPOSITORY } from "./support/sample-image";

/** The SHA-256 of a file on disk, computed independently of acrkit to show the file is what the digest says. */
async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest("hex")}`;
}

await withRegistry(
  {
    seed: async (emulator) => {
      const layer = crypto.getRandomValues(new Uint8Array(64 * 1024));
      const big = new Uint8Array(16 * 1024 * 1024);
      // getRandomValues fills at most 64 KiB per call; repeating one random block is plenty for a sample.
      for (let offset = 0; offset < big.length; offset += layer.length) big.set(layer, offset);
      await emulator.seedImage({
        repository: SAMPLE_REPOSITORY,
        tags: ["latest"],
        layers: [new TextEncoder().encode("small layer"), big],
      });
    },
  },
  async ({ client }) => {
    const manifest = imageManifestOf(await client.getManifest(SAMPLE_REPOSITORY, "latest"));
    const largest = manifest.layers.reduce((a, b) => (b.size > a.size ? b : a));
    const output = await outputDirectory("acrkit-download-layer");
    try {
      const path = join(output.path, `${largest.digest.replace(":", "-")}.tar`);
      console.log(`Downloading ${SAMPLE_REPOSITORY}@${largest.digest} (${formatBytes(largest.size)})`);
      const bar = progressBar("download");
      const result = await downloadBlobToFile(client, SAMPLE_REPOSITORY, largest.digest, path, {
        onProgress: bar.onProgress,
      });
      bar.done();
      console.log(`Saved ${formatBytes(result.size)} to ${path}`);
      const onDisk = await sha256OfFile(path);
      console.log(`File digest ${onDisk === largest.digest ? "matches" : "DOES NOT match"} the manifest: ${onDisk}`);
      if (onDisk !== largest.digest) process.exitCode = 1;
    } finally {
      await output.finish();
    }
  },
);
