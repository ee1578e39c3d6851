/**
 * Set artifact properties: lock an image so it can be neither overwritten nor deleted (the seed's "Set artifact
 * properties").
 * @module
 */
import { withRegistry } from "./support/registry";

const repository = "library/hello-world";

await withRegistry(
  {
    seed: async (emulator) => {
      await emulator.seedImage({ repository, tags: ["v1"] });
    },
  },
  async ({ client }) => {
    // Set permissions on image "library/hello-world:v1".
    const properties = await client.updateManifestProperties(repository, "v1", { canWrite: false, canDelete: false });
    console.log(`${repository}:v1 (${properties.digest})`);
    console.log(`  canWrite:  ${properties.canWrite}`);
    console.log(`  canDelete: ${properties.canDelete}`);
    console.log(`  canRead:   ${properties.canRead}`);
    console.log(`  canList:   ${properties.canList}`);
  },
);
