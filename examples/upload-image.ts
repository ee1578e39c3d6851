/**
 * Upload images: push a layer and a config as blobs, then a manifest describing them, tagged `latest` (the seed's
 * "Upload images").
 * @module
 */
import { KnownManifestMediaType, type OciImageManifest } from "acrkit";
import { SAMPLE_REPOSITORY } from "./support/sample-image";
import { withRegistry } from "./support/registry";

await withRegistry({}, async ({ client }) => {
  const layer = new TextEncoder().encode("Sample layer");
  const config = JSON.stringify({ "sample config": "content" });

  // Upload a layer and a config: each returns the digest the registry confirmed and the size.
  const uploadedLayer = await client.uploadBlob(SAMPLE_REPOSITORY, layer);
  console.log(`Uploaded layer:  digest ${uploadedLayer.digest}, size ${uploadedLayer.size}`);
  const uploadedConfig = await client.uploadBlob(SAMPLE_REPOSITORY, config);
  console.log(`Uploaded config: digest ${uploadedConfig.digest}, size ${uploadedConfig.size}`);

  // An OCI image manifest over them. Its own mediaType field is also the Content-Type setManifest sends.
  const manifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: KnownManifestMediaType.OciImageManifest,
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: uploadedConfig.digest,
      size: uploadedConfig.size,
    },
    layers: [
      {
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        digest: uploadedLayer.digest,
        size: uploadedLayer.size,
        annotations: { "org.opencontainers.image.title": "artifact.txt" },
      },
    ],
  };

  // Push the manifest with the tag "latest".
  const digest = await client.setManifest(SAMPLE_REPOSITORY, manifest, { tag: "latest" });
  console.log(`Uploaded manifest: digest ${digest}, tagged ${SAMPLE_REPOSITORY}:latest`);
});
