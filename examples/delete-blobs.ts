/**
 * Delete blobs: delete the layers and the config of the image tagged `latest` (the seed's "Delete blob").
 *
 * The manifest itself stays, now pointing at blobs that are gone: delete-manifest.ts removes it.
 * @module
 */
import { imageManifestOf } from "./support/image-manifest";
import { SAMPLE_REPOSITORY, seedSampleImage } from "./support/sample-image";
import { withRegistry } from "./support/registry";

await withRegistry({ seed: seedSampleImage }, async ({ client }) => {
  const manifest = imageManifestOf(await client.getManifest(SAMPLE_REPOSITORY, "latest"));
  for (const layer of manifest.layers) {
    await client.deleteBlob(SAMPLE_REPOSITORY, layer.digest);
    console.log(`Deleted layer  ${layer.digest}`);
  }
  await client.deleteBlob(SAMPLE_REPOSITORY, manifest.config.digest);
  console.log(`Deleted config ${manifest.config.digest}`);
  const left = await client.blobExists(SAMPLE_REPOSITORY, manifest.config.digest);
  console.log(`Config blob still exists: ${left}`);
});
