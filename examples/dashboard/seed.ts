/**
 * Demo content for the dashboard's local emulator: a few repositories that look like a real team's registry.
 * @module
 */
import type { Emulator } from "../../src/emulator/index";

/** Seeds images, a multi-platform index, an artifact and a locked release into the emulator. */
export async function seedDemo(emulator: Emulator): Promise<void> {
  const encoder = new TextEncoder();
  await emulator.seedIndex({ repository: "library/hello-world", tags: ["latest", "1.0"] });
  await emulator.seedImage({ repository: "team/api", tags: ["1.4.0"], architecture: "amd64", os: "linux", layers: 3 });
  await emulator.seedImage({
    repository: "team/api",
    tags: ["1.4.1", "stable"],
    architecture: "amd64",
    os: "linux",
    layers: 3,
  });
  await emulator.seedImage({
    repository: "team/api",
    tags: ["1.5.0-rc.1"],
    architecture: "arm64",
    os: "linux",
    layers: 2,
  });
  await emulator.seedImage({
    repository: "team/web",
    tags: ["main"],
    architecture: "amd64",
    os: "linux",
    layers: [encoder.encode("<!doctype html><h1>hello</h1>\n".repeat(4000))],
  });
  await emulator.seedImage({
    repository: "tools/builder",
    tags: ["2025.11"],
    architecture: "amd64",
    os: "windows",
    mediaType: "docker",
    layers: 2,
  });
  // A release that must not change: ACR's usual lock of a production tag.
  emulator.setAttributes({ repository: "team/api", tag: "stable" }, { writeEnabled: false, deleteEnabled: false });
}
