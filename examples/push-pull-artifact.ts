/**
 * Push and pull an OCI artifact, the way ORAS does: a few files in one call, each a layer named by its
 * `org.opencontainers.image.title`, then pulled back into a directory, every file verified against its digest.
 * Works on any OCI registry, ACR or not.
 *
 * Usage: `npx tsx examples/push-pull-artifact.ts [output-directory]`.
 * @module
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileSource, pullArtifact, pullArtifactToDirectory, pushArtifact } from "acrkit/node";
import { outputDirectory } from "./support/output-dir";
import { withRegistry } from "./support/registry";

const repository = "samples/release-bundle";
const artifactType = "application/vnd.acrkit.example.release.v1";

await withRegistry({}, async ({ client }) => {
  const output = await outputDirectory("acrkit-artifact");
  try {
    // Any blob source will do: a string, bytes, a Blob or File, a stream, or a file on disk.
    const readme = join(output.path, "source-readme.md");
    await writeFile(readme, "# Release 1.0\n\nWhat changed, and why.\n");
    const pushed = await pushArtifact(client, repository, {
      artifactType,
      files: [
        { name: "README.md", data: fileSource(readme), mediaType: "text/markdown" },
        { name: "checksums.txt", data: "sha256  app.tar.gz\n", mediaType: "text/plain" },
        { name: "app.tar.gz", data: new Uint8Array(64 * 1024).fill(7) },
      ],
      annotations: { "org.opencontainers.image.created": new Date().toISOString() },
      tag: "1.0",
    });
    console.log(`Pushed ${repository}:1.0 as ${pushed.digest} (${pushed.size} bytes of manifest)`);

    const artifact = await pullArtifact(client, repository, "1.0");
    console.log(`Pulled ${artifact.artifactType} with ${artifact.files.length} files:`);
    for (const file of artifact.files)
      console.log(`  ${file.name.padEnd(14)} ${String(file.size).padStart(6)} B  ${file.mediaType}`);
    const notes = artifact.files.find((file) => file.name === "checksums.txt")!;
    const text = await new Response((await notes.download()).body).text();
    console.log(`checksums.txt says: ${text.trim()}`);

    const pulled = await pullArtifactToDirectory(client, repository, "1.0", join(output.path, "pulled"));
    for (const file of pulled.files) console.log(`Wrote ${file.path} (${file.size} B, ${file.digest.slice(0, 19)}…)`);
    const same =
      (await readFile(join(output.path, "pulled", "README.md"), "utf8")) === (await readFile(readme, "utf8"));
    console.log(`README.md pulled back ${same ? "identical to what was pushed" : "DIFFERENT"}`);
    if (!same) process.exitCode = 1;
  } finally {
    await output.finish();
  }
});
