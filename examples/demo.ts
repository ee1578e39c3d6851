/**
 * The `npm start` demo: a tour of acrkit against an emulator started in this process, on a loopback port.
 * No Azure account and no network beyond 127.0.0.1.
 *
 * It pushes an image with a progress bar, lists repositories, shows tag and manifest properties, locks the image,
 * pulls it back and verifies every byte, then runs the delete-images clean-up (keep the three most recent).
 * @module
 */
import { randomBytes } from "node:crypto";
import {
  BasicCredential,
  ContainerRegistryClient,
  KnownManifestMediaType,
  RegistryError,
  type OciImageManifest,
} from "acrkit/node";
import { createEmulator } from "acrkit/emulator";
import { deleteOldImages } from "./delete-images";
import { imageManifestOf } from "./support/image-manifest";
import { formatBytes, progressBar } from "./support/progress";

const started = performance.now();
const repository = "demo/hello";
const tag = "1.0";

function step(title: string): void {
  console.log(`\n\u25b8 ${title}`);
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

const emulator = createEmulator({ users: { admin: "demo-password" } });
// Some history to list and to clean up: four older versions of the demo image, and two other repositories.
for (const old of ["0.1", "0.2", "0.3", "0.4"]) await emulator.seedImage({ repository, tags: [old] });
await emulator.seedImage({ repository: "hello-world", tags: ["latest"] });
await emulator.seedIndex({ repository: "library/alpine", tags: ["3.20"] });
const server = await emulator.listen({ host: "127.0.0.1", port: 0 });

try {
  console.log(`acrkit demo: an ACR emulator is running at ${server.url} (in this process, loopback only)`);
  // Signing in as the emulator's admin user, as one would with ACR's admin user or a repository-scoped token.
  const client = new ContainerRegistryClient(server.url, new BasicCredential("admin", "demo-password"));

  step(`Push an image to ${repository}:${tag}`);
  const layer = new Uint8Array(randomBytes(8 * 1024 * 1024));
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: { Cmd: ["/hello"] },
    rootfs: { type: "layers", diff_ids: [] },
  });
  const bar = progressBar("  layer ");
  // 1 MiB chunks so the bar has something to show over loopback; the default is 8 MiB.
  const pushedLayer = await client.uploadBlob(repository, layer, {
    onProgress: bar.onProgress,
    chunkSize: 1024 * 1024,
  });
  bar.done();
  const pushedConfig = await client.uploadBlob(repository, config);
  const manifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: KnownManifestMediaType.OciImageManifest,
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: pushedConfig.digest,
      size: pushedConfig.size,
    },
    layers: [
      { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: pushedLayer.digest, size: pushedLayer.size },
    ],
  };
  const manifestDigest = await client.setManifest(repository, manifest, { tag });
  console.log(`  layer    ${pushedLayer.digest}  ${formatBytes(pushedLayer.size)}`);
  console.log(`  config   ${pushedConfig.digest}  ${formatBytes(pushedConfig.size)}`);
  console.log(`  manifest ${manifestDigest}  tagged ${tag}`);

  step("Repositories");
  for await (const name of client.listRepositoryNames()) {
    const properties = await client.getRepositoryProperties(name);
    console.log(`  ${name.padEnd(16)} ${properties.manifestCount} manifests, ${properties.tagCount} tags`);
  }

  step(`Tag properties of ${repository}:${tag}`);
  const tagProperties = await client.getTagProperties(repository, tag);
  console.log(`  digest      ${tagProperties.digest}`);
  console.log(`  created     ${tagProperties.createdOn?.toISOString()}`);
  console.log(`  canWrite    ${tagProperties.canWrite}, canDelete ${tagProperties.canDelete}`);

  step(`Manifest properties of ${repository}:${tag}`);
  const manifestProperties = await client.getManifestProperties(repository, tag);
  console.log(`  reference   ${manifestProperties.fullyQualifiedReference}`);
  console.log(`  media type  ${manifestProperties.mediaType}`);
  console.log(`  platform    ${manifestProperties.operatingSystem}/${manifestProperties.architecture}`);
  console.log(`  size        ${formatBytes(manifestProperties.sizeInBytes ?? 0)}`);
  console.log(`  tags        ${manifestProperties.tags.join(", ")}`);

  step("Lock it: canWrite and canDelete false");
  const locked = await client.updateManifestProperties(repository, manifestDigest, {
    canWrite: false,
    canDelete: false,
  });
  console.log(`  canWrite ${locked.canWrite}, canDelete ${locked.canDelete}`);
  try {
    await client.deleteManifest(repository, manifestDigest);
    throw new Error("the registry deleted a locked image");
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    console.log(`  deleting it now fails: RegistryError ${error.statusCode} ${error.code ?? ""}`.trimEnd());
  }

  step("Pull it back and verify");
  const pulled = await client.getManifest(repository, tag);
  console.log(
    `  manifest ${pulled.digest === manifestDigest ? "matches" : "DIFFERS FROM"} the pushed digest (${pulled.mediaType})`,
  );
  const pulledManifest = imageManifestOf(pulled);
  // downloadBlob verifies SHA-256 as the bytes stream; comparing with the original bytes checks it end to end.
  const pulledLayer = await readAll((await client.downloadBlob(repository, pulledManifest.layers[0].digest)).body);
  const pulledConfig = await readAll((await client.downloadBlob(repository, pulledManifest.config.digest)).body);
  const sameLayer = Buffer.compare(pulledLayer, layer) === 0;
  const sameConfig = new TextDecoder().decode(pulledConfig) === config;
  console.log(
    `  layer    ${formatBytes(pulledLayer.byteLength)}, ${sameLayer ? "identical to what was pushed" : "DIFFERENT"}`,
  );
  console.log(
    `  config   ${formatBytes(pulledConfig.byteLength)}, ${sameConfig ? "identical to what was pushed" : "DIFFERENT"}`,
  );
  if (pulled.digest !== manifestDigest || !sameLayer || !sameConfig)
    throw new Error("the pulled image differs from the pushed one");

  step("Clean up: keep the three most recent images of each repository");
  const deleted = await deleteOldImages(client, 3, (line) => console.log(`  ${line}`));
  const remaining: string[] = [];
  for await (const tagProperty of client.listTagProperties(repository)) remaining.push(tagProperty.name);
  console.log(`  deleted ${deleted}; ${repository} keeps ${remaining.sort().join(", ")}`);

  console.log(
    `\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s. Next: the examples/ folder, or \`npm run examples\`.`,
  );
} finally {
  await server.close();
}
