/**
 * Delete manifest: resolve the `latest` tag to its digest and delete that image (the seed's "Delete manifest").
 * @module
 */
import { SAMPLE_REPOSITORY, seedSampleImage } from "./support/sample-image";
import { withRegistry } from "./support/registry";

await withRegistry({ seed: seedSampleImage }, async ({ client }) => {
  const { digest } = await client.getManifest(SAMPLE_REPOSITORY, "latest");
  // Deleting by digest removes the image and every tag pointing at it.
  await client.deleteManifest(SAMPLE_REPOSITORY, digest);
  console.log(`Deleted ${SAMPLE_REPOSITORY}@${digest}`);
  console.log(`${SAMPLE_REPOSITORY}:latest still exists: ${await client.manifestExists(SAMPLE_REPOSITORY, "latest")}`);
});
