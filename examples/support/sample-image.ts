/**
 * The small image of the seed's upload, download and delete samples, so the download and delete examples can seed
 * the emulator with exactly what upload-image.ts pushes.
 * @module
 */
import type { Emulator } from "acrkit/emulator";

/** The repository the seed's content samples use. */
export const SAMPLE_REPOSITORY = "sample-oci-image";

/** Pushes a one-layer image tagged `latest` into the emulator, as upload-image.ts would. */
export async function seedSampleImage(emulator: Emulator): Promise<void> {
  await emulator.seedImage({
    repository: SAMPLE_REPOSITORY,
    tags: ["latest"],
    layers: [new TextEncoder().encode("Sample layer")],
    config: { "sample config": "content" },
  });
}
