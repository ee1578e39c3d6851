/**
 * List repositories: iterate through every repository name in the registry (the seed's "List repositories").
 *
 * Run: `npx tsx examples/list-repositories.ts` (offline, against an embedded emulator), or with
 * CONTAINERREGISTRY_ENDPOINT set for a real registry.
 * @module
 */
import { withRegistry } from "./support/registry";

await withRegistry(
  {
    seed: async (emulator) => {
      await emulator.seedImage({ repository: "hello-world", tags: ["latest"] });
      await emulator.seedImage({ repository: "library/alpine", tags: ["3.20"] });
      await emulator.seedIndex({ repository: "team/app", tags: ["1.0"] });
    },
  },
  async ({ client }) => {
    // Pages are fetched as the loop asks for them; each name arrives as soon as its page does.
    let count = 0;
    for await (const name of client.listRepositoryNames()) {
      console.log(`  ${name}`);
      count += 1;
    }
    console.log(`${count} repositories`);
  },
);
