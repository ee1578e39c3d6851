/**
 * Delete images: in every repository, keep the three most recently updated images and delete the rest (the seed's
 * "Delete images"), with {@link purge}. purge never deletes a locked image; this sample, like the seed's, then unlocks
 * those and deletes them too.
 *
 * Against a real registry this really deletes: point CONTAINERREGISTRY_ENDPOINT at a registry you mean to clean.
 * @module
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { purge, type ContainerRegistryClient, type PurgedManifest } from "acrkit/node";
import { withRegistry } from "./support/registry";

/**
 * Deletes every image but the `keep` most recent ones in each repository, reporting each deletion; returns how many
 * were deleted. The demo (examples/demo.ts) runs it as its clean-up step.
 */
export async function deleteOldImages(
  client: ContainerRegistryClient,
  keep: number,
  report: (line: string) => void = console.log,
): Promise<number> {
  const describe = (manifest: PurgedManifest) =>
    `${manifest.repository}@${manifest.digest}${manifest.tags.length > 0 ? ` (${manifest.tags.join(", ")})` : ""}`;
  const result = await purge(client, { keep });
  for (const manifest of result.deleted) report(`Deleting ${describe(manifest)}`);
  // The seed sample deletes locked images too, unlocking them first; purge leaves that decision to its caller.
  for (const manifest of result.skippedLocked) {
    report(`Unlocking ${describe(manifest)}`);
    await client.updateManifestProperties(manifest.repository, manifest.digest, { canWrite: true, canDelete: true });
    for (const tag of manifest.tags)
      await client.updateTagProperties(manifest.repository, tag, { canWrite: true, canDelete: true });
    report(`Deleting ${describe(manifest)}`);
    await client.deleteManifest(manifest.repository, manifest.digest);
  }
  return result.deleted.length + result.skippedLocked.length;
}

/** True when this file is the program being run rather than a module the demo imports. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
}

if (isEntryPoint()) {
  await withRegistry(
    {
      seed: async (emulator) => {
        // Five images in one repository and two in another: v1 and v2 go, everything else stays.
        const oldest = await emulator.seedImage({ repository: "library/hello-world", tags: ["v1"] });
        for (const tag of ["v2", "v3", "v4", "v5"])
          await emulator.seedImage({ repository: "library/hello-world", tags: [tag] });
        for (const tag of ["1.0", "1.1"]) await emulator.seedImage({ repository: "team/app", tags: [tag] });
        // A locked old image: purge skips it, and the clean-up unlocks it before deleting it.
        await emulator.setAttributes(
          { repository: "library/hello-world", digest: oldest.digest },
          { deleteEnabled: false, writeEnabled: false },
        );
      },
    },
    async ({ client }) => {
      const deleted = await deleteOldImages(client, 3);
      console.log(`Deleted ${deleted} images; the three most recent of each repository remain.`);
    },
  );
}
