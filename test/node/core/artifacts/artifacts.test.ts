/**
 * pushArtifact → pullArtifact round trips on docker-registry 2.8.2 (real, no ACR API) and the emulator, with every
 * kind of Node source; skopeo reads what acrkit pushed; pullArtifactToDirectory writes files and refuses titles
 * that escape its directory.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EMPTY_DESCRIPTOR,
  InvalidArtifactError,
  TITLE_ANNOTATION,
  UnsafeArtifactPathError,
  fileSource,
  pullArtifact,
  pullArtifactToDirectory,
  pushArtifact,
  type ContainerRegistryClient,
  type RequestLogEntry,
} from "../../../../src/platform/node/index";
import { ADMIN, clientFor } from "../../../support/clients";
import { startDockerRegistry, type RunningDockerRegistry } from "../../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";
import { inspectRaw } from "../../../support/skopeo";

const ARTIFACT_TYPE = "application/vnd.acrkit.test.bundle.v1";
const LARGE = 9 * 1024 * 1024 + 17;

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function patterned(size: number, seed: number): Uint8Array {
  return new Uint8Array(size).map((_, index) => (index * 31 + seed) % 251);
}

let dockerRegistry: RunningDockerRegistry;
let emulator: StartedEmulator;
let scratch: string;

const targets = [
  { name: "docker-registry 2.8.2", url: () => dockerRegistry.url, kind: "anonymous" as const },
  { name: "the emulator", url: () => emulator.url, kind: "basic" as const },
];

beforeAll(async () => {
  [dockerRegistry, emulator] = await Promise.all([
    startDockerRegistry(),
    startEmulator({ users: { [ADMIN.username]: ADMIN.password }, anonymousPull: true }),
  ]);
  scratch = mkdtempSync(join(tmpdir(), "acrkit-artifacts-"));
});
afterAll(async () => {
  await Promise.all([dockerRegistry?.stop(), emulator?.close()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.each(targets)("artifacts on $name", (target) => {
  let client: ContainerRegistryClient;
  let log: RequestLogEntry[];
  beforeAll(() => {
    ({ client, log } = clientFor(target.url(), target.kind));
  });

  const contents = {
    "notes.txt": new TextEncoder().encode("release notes\n"),
    "data.bin": patterned(LARGE, 1),
    "page.html": new TextEncoder().encode("<!doctype html><p>hello</p>\n"),
    "stream.log": patterned(300_000, 7),
    "docs/from-disk.md": patterned(5_000, 3),
  };

  it("round-trips several files from every kind of Node source, with their names, types and bytes", async () => {
    const onDisk = join(scratch, `${target.kind}-from-disk.md`);
    writeFileSync(onDisk, contents["docs/from-disk.md"]);
    const progress: number[] = [];
    const pushed = await pushArtifact(
      client,
      "artifacts/bundle",
      {
        artifactType: ARTIFACT_TYPE,
        files: [
          { name: "notes.txt", data: "release notes\n", mediaType: "text/plain" },
          { name: "data.bin", data: contents["data.bin"] },
          { name: "page.html", data: new Blob([new Uint8Array(contents["page.html"])], { type: "text/html" }) },
          { name: "stream.log", data: new Blob([new Uint8Array(contents["stream.log"])]).stream() },
          { name: "docs/from-disk.md", data: fileSource(onDisk), mediaType: "text/markdown" },
        ],
        annotations: { "org.opencontainers.image.description": "a test bundle" },
        tag: "v1",
      },
      { onProgress: ({ loaded }) => progress.push(loaded) },
    );
    expect(pushed.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(pushed.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(progress.at(-1)).toBe(Object.values(contents).reduce((sum, bytes) => sum + bytes.byteLength, 0));

    const pulled = await pullArtifact(client, "artifacts/bundle", "v1");
    expect(pulled.digest).toBe(pushed.digest);
    expect(pulled.artifactType).toBe(ARTIFACT_TYPE);
    expect(pulled.manifest).toMatchObject({
      artifactType: ARTIFACT_TYPE,
      config: { mediaType: EMPTY_DESCRIPTOR.mediaType, digest: EMPTY_DESCRIPTOR.digest, size: 2 },
      annotations: { "org.opencontainers.image.description": "a test bundle" },
    });
    expect(pulled.files.map((file) => [file.name, file.mediaType])).toEqual([
      ["notes.txt", "text/plain"],
      ["data.bin", "application/octet-stream"],
      ["page.html", "text/html"],
      ["stream.log", "application/octet-stream"],
      ["docs/from-disk.md", "text/markdown"],
    ]);
    for (const file of pulled.files) {
      const expected = contents[file.name as keyof typeof contents];
      expect(file).toMatchObject({ size: expected.byteLength, digest: sha256(expected) });
      expect(file.annotations[TITLE_ANNOTATION]).toBe(file.name);
      const download = await file.download();
      expect(Buffer.from(await readAll(download.body)).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it("does not send a file again that the registry has", async () => {
    log.length = 0;
    await pushArtifact(client, "artifacts/bundle", {
      artifactType: ARTIFACT_TYPE,
      files: [
        { name: "data.bin", data: contents["data.bin"] },
        { name: "notes.txt", data: "release notes\n", mediaType: "text/plain" },
      ],
      tag: "again",
    });
    const uploads = log.filter((entry) => entry.method === "POST" || entry.method === "PATCH");
    expect(uploads).toEqual([]);
    expect((await pullArtifact(client, "artifacts/bundle", "again")).files.map((file) => file.name)).toEqual([
      "data.bin",
      "notes.txt",
    ]);
  });

  it("pushes an artifact about another (subject), which lists as its referrer", async () => {
    const image = await pullArtifact(client, "artifacts/bundle", "v1");
    const signature = await pushArtifact(client, "artifacts/bundle", {
      artifactType: "application/vnd.acrkit.test.signature",
      files: [{ name: "signature.sig", data: "signed" }],
      subject: {
        mediaType: image.mediaType,
        digest: image.digest,
        size: (await client.getManifest("artifacts/bundle", image.digest)).bytes.byteLength,
      },
    });
    const referrers = [];
    for await (const referrer of client.listReferrers("artifacts/bundle", image.digest)) referrers.push(referrer);
    expect(referrers).toEqual([
      expect.objectContaining({ digest: signature.digest, artifactType: "application/vnd.acrkit.test.signature" }),
    ]);
  });

  it("pushes an artifact without files, with the empty descriptor as its one layer", async () => {
    const pushed = await pushArtifact(client, "artifacts/empty", {
      artifactType: ARTIFACT_TYPE,
      files: [],
      tag: "none",
      annotations: { note: "no payload" },
    });
    const pulled = await pullArtifact(client, "artifacts/empty", pushed.digest);
    expect(pulled.files).toEqual([]);
    expect(pulled.manifest.layers).toEqual([{ ...EMPTY_DESCRIPTOR }]);
  });

  it("is read by skopeo as the manifest acrkit pushed", async () => {
    const raw = await inspectRaw(target.url(), "artifacts/bundle", "v1");
    const pulled = await pullArtifact(client, "artifacts/bundle", "v1");
    expect(sha256(new TextEncoder().encode(raw))).toBe(pulled.digest);
    expect(JSON.parse(raw)).toMatchObject({
      artifactType: ARTIFACT_TYPE,
      layers: expect.arrayContaining([expect.objectContaining({ annotations: { [TITLE_ANNOTATION]: "data.bin" } })]),
    });
  });

  it("writes every file under its title into a directory, verified", async () => {
    const dir = join(scratch, `${target.kind}-pulled`);
    const result = await pullArtifactToDirectory(client, "artifacts/bundle", "v1", dir);
    expect(result.files.map((file) => file.name)).toEqual(Object.keys(contents));
    for (const [name, bytes] of Object.entries(contents))
      expect(Buffer.from(readFileSync(join(dir, name))).equals(Buffer.from(bytes))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith(".partial"))).toEqual([]);
  });

  it.each([
    "../escape.txt",
    "docs/../../escape.txt",
    "/tmp/acrkit-absolute.txt",
    "C:\\\\windows\\\\escape.txt",
    "..\\\\escape.txt",
  ])("refuses the title %s before writing anything", async (title) => {
    const repository = "artifacts/hostile";
    await pushArtifact(client, repository, {
      artifactType: ARTIFACT_TYPE,
      files: [
        { name: "fine.txt", data: "fine" },
        { name: title, data: "escaped" },
      ],
      tag: "v1",
    });
    const dir = join(scratch, `${target.kind}-hostile-${Math.random().toString(36).slice(2)}`);
    const error = await pullArtifactToDirectory(client, repository, "v1", dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsafeArtifactPathError);
    expect((error as UnsafeArtifactPathError).title).toBe(title);
    expect(existsSync(join(dir, "fine.txt"))).toBe(false);
    expect(existsSync(join(dir, "..", "escape.txt"))).toBe(false);
    expect(existsSync("/tmp/acrkit-absolute.txt")).toBe(false);
  });

  it("refuses an index as an artifact", async () => {
    const image = await pullArtifact(client, "artifacts/bundle", "v1");
    const size = (await client.getManifest("artifacts/bundle", image.digest)).bytes.byteLength;
    const index = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{ mediaType: image.mediaType, digest: image.digest, size }],
    };
    await client.setManifest("artifacts/bundle", index, { tag: "index" });
    await expect(pullArtifact(client, "artifacts/bundle", "index")).rejects.toBeInstanceOf(InvalidArtifactError);
  });
});

describe("pushArtifact input checks, before any request", () => {
  const { client, log } = clientFor("http://127.0.0.1:9", "anonymous");
  const file = { name: "a.txt", data: "a" };
  it.each([
    ["no artifactType", { files: [file] }, /artifactType/],
    ["a bad artifactType", { files: [file], artifactType: "not a type" }, /artifactType/],
    ["files not an array", { files: "a.txt", artifactType: ARTIFACT_TYPE }, /files must be an array/],
    ["a file without a name", { files: [{ data: "a" }], artifactType: ARTIFACT_TYPE }, /files\[0\]\.name/],
    ["two files of one name", { files: [file, file], artifactType: ARTIFACT_TYPE }, /appears twice/],
    ["a file without data", { files: [{ name: "a" }], artifactType: ARTIFACT_TYPE }, /files\[0\]\.data/],
    [
      "data of an unknown kind",
      { files: [{ name: "a", data: 42 }], artifactType: ARTIFACT_TYPE },
      /cannot read a number/,
    ],
    [
      "a bad mediaType",
      { files: [{ ...file, mediaType: "text" }], artifactType: ARTIFACT_TYPE },
      /files\[0\]\.mediaType/,
    ],
    ["a bad tag", { files: [file], artifactType: ARTIFACT_TYPE, tag: "-bad" }, /Invalid tag/],
    [
      "a bad subject",
      { files: [file], artifactType: ARTIFACT_TYPE, subject: { mediaType: "a/b", digest: "sha256:x", size: 1 } },
      /Invalid digest/,
    ],
    [
      "a non-string annotation",
      { files: [file], artifactType: ARTIFACT_TYPE, annotations: { a: 1 } },
      /annotations\["a"\]/,
    ],
    [
      "a config without data",
      { files: [file], artifactType: ARTIFACT_TYPE, config: { mediaType: "a/b" } },
      /config\.data/,
    ],
  ])("refuses %s", async (_, input, message) => {
    await expect(pushArtifact(client, "team/app", input as never)).rejects.toThrow(message);
    expect(log).toEqual([]);
  });

  it("refuses a bad repository name and a bad reference", async () => {
    await expect(pushArtifact(client, "Team/App", { files: [file], artifactType: ARTIFACT_TYPE })).rejects.toThrow(
      TypeError,
    );
    await expect(pullArtifact(client, "team/app", "bad tag")).rejects.toThrow(TypeError);
    await expect(pullArtifactToDirectory(client, "team/app", "v1", "")).rejects.toThrow(/dir must be/);
    expect(log).toEqual([]);
  });
});
