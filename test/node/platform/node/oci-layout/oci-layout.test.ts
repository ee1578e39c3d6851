import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  OciLayoutError,
  pullToOciLayout,
  pushOciLayout,
  type ContainerRegistryClient,
  type CopyProgress,
} from "../../../../../src/platform/node/index";
import { REGISTRY_KINDS, startRegistry, uniqueRepository, type TestRegistry } from "../../../core/content/support";
import { pushImage, pushIndex } from "../../../core/beyond/images";

const run = promisify(execFile);
const SKOPEO = process.env.SKOPEO_BINARY ?? "/usr/bin/skopeo";

/** The temporary folders made by this file's tests, each removed (itself, nothing above it) after its test. */
const temporaryFolders: string[] = [];
/** A path for a layout that does not exist yet, inside a fresh temporary folder. */
function layoutDirectory(): string {
  const folder = mkdtempSync(join(tmpdir(), "acrkit-layout-"));
  temporaryFolders.push(folder);
  return join(folder, "layout");
}
afterEach(() => {
  for (const folder of temporaryFolders.splice(0)) {
    // Guard: only ever a folder this file made.
    if (!basename(folder).startsWith("acrkit-layout-")) throw new Error(`refusing to remove ${folder}`);
    rmSync(folder, { recursive: true, force: true });
  }
});

function indexJson(directory: string): {
  manifests: Array<{ digest: string; mediaType: string; annotations?: Record<string, string> }>;
} {
  return JSON.parse(readFileSync(join(directory, "index.json"), "utf8")) as never;
}

async function digestOf(client: ContainerRegistryClient, repository: string, reference: string): Promise<string> {
  return (await client.getManifest(repository, reference)).digest;
}

const PLATFORMS = [
  { os: "linux", architecture: "amd64" },
  { os: "linux", architecture: "arm64", variant: "v8" },
];

describe.each(REGISTRY_KINDS)("OCI layouts against %s", (kind) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it.each([false, true])("pulls to a layout and pushes it back with digests unchanged (index: %s)", async (multi) => {
    const { client } = registry.connect({ concurrency: 2 });
    const repository = uniqueRepository("layout-source");
    const pushed = multi
      ? await pushIndex(client, repository, PLATFORMS, { tag: "v1" })
      : await pushImage(client, repository, { tag: "v1" });
    const directory = layoutDirectory();
    const events: CopyProgress[] = [];
    const pulled = await pullToOciLayout(client, repository, "v1", directory, {
      onProgress: (event) => events.push(event),
    });
    expect(pulled.digest).toBe(pushed.digest);
    expect(JSON.parse(readFileSync(join(directory, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    expect(indexJson(directory).manifests).toEqual([
      expect.objectContaining({ digest: pushed.digest, annotations: { "org.opencontainers.image.ref.name": "v1" } }),
    ]);
    expect(events.at(-1)).toMatchObject({ completedBlobs: events.at(-1)!.totalBlobs });

    // Pulling again keeps the blobs there are and names the image once.
    const again: CopyProgress[] = [];
    await pullToOciLayout(client, repository, "v1", directory, { onProgress: (event) => again.push(event) });
    expect(again.every((event) => event.action === "skipped")).toBe(true);
    expect(indexJson(directory).manifests).toHaveLength(1);

    const target = uniqueRepository("layout-target");
    const result = await pushOciLayout(directory, client, target, "v1");
    expect(result.digest).toBe(pushed.digest);
    expect(await digestOf(client, target, "v1")).toBe(pushed.digest);
  });

  it("keeps other images of the layout and replaces the one of the same name", async () => {
    const { client } = registry.connect();
    const repository = uniqueRepository("layout-names");
    const first = await pushImage(client, repository, { tag: "a" });
    const second = await pushImage(client, repository, { tag: "b" });
    const directory = layoutDirectory();
    await pullToOciLayout(client, repository, "a", directory);
    await pullToOciLayout(client, repository, "b", directory);
    await pushImage(client, repository, { tag: "a" }).then(async (third) => {
      await pullToOciLayout(client, repository, "a", directory);
      const names = indexJson(directory).manifests.map((entry) => [
        entry.annotations?.["org.opencontainers.image.ref.name"],
        entry.digest,
      ]);
      expect(names).toEqual([
        ["b", second.digest],
        ["a", third.digest],
      ]);
      expect(third.digest).not.toBe(first.digest);
    });
  });

  it("refuses a missing image name, listing the names there are, and a directory that is no layout", async () => {
    const { client, requests } = registry.connect();
    const repository = uniqueRepository("layout-errors");
    await pushImage(client, repository, { tag: "present" });
    const directory = layoutDirectory();
    await pullToOciLayout(client, repository, "present", directory);
    requests.length = 0;
    const missing = await pushOciLayout(directory, client, repository, "absent").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OciLayoutError);
    expect((missing as OciLayoutError).available).toEqual(["present"]);
    expect((missing as OciLayoutError).reference).toBe("absent");
    await expect(pushOciLayout(join(directory, "blobs"), client, repository, "present")).rejects.toThrow(
      /not an OCI image layout/,
    );
    await expect(pushOciLayout(directory, client, "Bad", "present")).rejects.toThrow(/"Bad"/);
    expect(requests).toEqual([]);
  });

  it("refuses a layout whose manifest does not match its digest", async () => {
    const { client } = registry.connect();
    const repository = uniqueRepository("layout-corrupt");
    const image = await pushImage(client, repository, { tag: "v1" });
    const directory = layoutDirectory();
    await pullToOciLayout(client, repository, "v1", directory);
    const path = join(directory, "blobs", "sha256", image.digest.slice("sha256:".length));
    writeFileSync(path, readFileSync(path, "utf8").replace("schemaVersion", "schemaVersion "));
    await expect(pushOciLayout(directory, client, uniqueRepository("never"), "v1")).rejects.toThrow(OciLayoutError);
  });
});

describe("OCI layouts with skopeo 1.9 and docker-registry", () => {
  let registry: TestRegistry;
  let host: string;
  beforeAll(async () => {
    registry = await startRegistry("docker-registry");
    host = new URL(registry.url).host;
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("pushes a layout skopeo wrote", async () => {
    const { client } = registry.connect();
    const repository = uniqueRepository("skopeo-source");
    const image = await pushImage(client, repository, { tag: "v1" });
    const directory = layoutDirectory();
    await run(SKOPEO, [
      "copy",
      "--preserve-digests",
      "--src-tls-verify=false",
      `docker://${host}/${repository}:v1`,
      `oci:${directory}:v1`,
    ]);
    const target = uniqueRepository("from-skopeo");
    const result = await pushOciLayout(directory, client, target, "v1");
    expect(result.digest).toBe(image.digest);
    expect(await digestOf(client, target, "v1")).toBe(image.digest);
  });

  it("pushes an index skopeo wrote with --all", async () => {
    const { client } = registry.connect();
    const repository = uniqueRepository("skopeo-index-source");
    const index = await pushIndex(client, repository, PLATFORMS, { tag: "multi" });
    const directory = layoutDirectory();
    await run(SKOPEO, [
      "copy",
      "--preserve-digests",
      "--all",
      "--src-tls-verify=false",
      `docker://${host}/${repository}:multi`,
      `oci:${directory}:multi`,
    ]);
    const target = uniqueRepository("index-from-skopeo");
    expect((await pushOciLayout(directory, client, target, "multi")).digest).toBe(index.digest);
    for (const image of index.images) expect(await client.manifestExists(target, image.digest)).toBe(true);
  });

  it.each([false, true])("writes a layout skopeo reads and pushes (index: %s)", async (multi) => {
    const { client } = registry.connect();
    const repository = uniqueRepository("for-skopeo");
    const pushed = multi
      ? await pushIndex(client, repository, PLATFORMS, { tag: "v1" })
      : await pushImage(client, repository, { tag: "v1" });
    const directory = layoutDirectory();
    await pullToOciLayout(client, repository, "v1", directory);
    const { stdout } = await run(SKOPEO, ["inspect", "--raw", `oci:${directory}:v1`]);
    expect(JSON.parse(stdout)).toEqual((await client.getManifest(repository, "v1")).manifest);
    const target = uniqueRepository("by-skopeo");
    await run(SKOPEO, [
      "copy",
      "--preserve-digests",
      ...(multi ? ["--all"] : []),
      "--dest-tls-verify=false",
      `oci:${directory}:v1`,
      `docker://${host}/${target}:v1`,
    ]);
    expect(await digestOf(client, target, "v1")).toBe(pushed.digest);
  });
});
