/**
 * List tags with anonymous access: read a public repository's tags without any credential (the seed's
 * "List tags with anonymous access").
 *
 * Reads CONTAINERREGISTRY_ANONREGISTRY_ENDPOINT; a registry with anonymous pull enabled
 * (`az acr update --name myregistry --anonymous-pull-enabled`) is needed. Unset, an emulator with anonymous pull runs.
 * @module
 */
import { withRegistry } from "./support/registry";

const repository = "library/hello-world";

await withRegistry(
  {
    access: "anonymous",
    seed: async (emulator) => {
      await emulator.seedImage({ repository, tags: ["latest", "v1", "linux"] });
    },
  },
  async ({ client }) => {
    const manifest = await client.getManifestProperties(repository, "latest");
    console.log(`Tags of ${manifest.repositoryName}:`);
    for (const tag of manifest.tags) console.log(`  ${tag}`);
  },
);
