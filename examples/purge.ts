/**
 * Purge: the `acr purge` of acrkit. Preview what a clean-up would delete (a dry run), then delete it: untagged
 * manifests and all but the two newest images of each `ci/` repository, older than an hour. Locked images
 * (`canDelete: false`) are never deleted, only reported.
 *
 * Needs ACR's `/acr/v1` API (timestamps and locks): the embedded emulator has it. Against a real registry this
 * really deletes after the preview: point CONTAINERREGISTRY_ENDPOINT at a registry you mean to clean.
 * @module
 */
import { purge, type PurgedManifest, type PurgeOptions } from "acrkit/node";
import { withRegistry } from "./support/registry";

const HOUR = 60 * 60 * 1000;

function line(manifest: PurgedManifest): string {
  const tags = manifest.tags.length > 0 ? manifest.tags.join(", ") : "untagged";
  return `  ${manifest.repository}@${manifest.digest.slice(0, 19)}… (${tags})`;
}

await withRegistry(
  {
    seed: async (emulator) => {
      // A CI repository of builds, an untagged leftover and a locked release; and a repository the filter leaves out.
      for (const tag of ["build-1", "build-2", "build-3", "build-4"])
        await emulator.seedImage({ repository: "ci/app", tags: [tag] });
      await emulator.seedImage({ repository: "ci/app" });
      const release = await emulator.seedImage({ repository: "ci/app", tags: ["release-1"] });
      await emulator.setAttributes({ repository: "ci/app", digest: release.digest }, { deleteEnabled: false });
      for (const tag of ["build-5", "build-6"]) await emulator.seedImage({ repository: "ci/app", tags: [tag] });
      await emulator.seedImage({ repository: "team/web", tags: ["main"] });
    },
  },
  async ({ client, emulator }) => {
    // The seeded images are seconds old; against the emulator the example counts them as old enough.
    const olderThan = emulator ? 0 : HOUR;
    const options: PurgeOptions = { repositories: (name) => name.startsWith("ci/"), olderThan, keep: 2 };

    const preview = await purge(client, { ...options, dryRun: true });
    console.log(
      `Dry run: ${preview.deleted.length} to delete, ${preview.kept.length} kept, ${preview.skippedLocked.length} locked`,
    );
    for (const manifest of preview.deleted) console.log(`would delete${line(manifest)}`);
    for (const manifest of preview.skippedLocked) console.log(`locked, kept${line(manifest)}`);

    const done = await purge(client, options);
    console.log(`Deleted ${done.deleted.length} manifests; ${done.skippedLocked.length} locked one(s) left alone.`);
    const remaining: string[] = [];
    for await (const manifest of client.listManifestProperties("ci/app"))
      remaining.push(manifest.tags.join(", ") || "untagged");
    console.log(`ci/app now holds ${remaining.length} manifests: ${remaining.join("; ")}`);
  },
);
