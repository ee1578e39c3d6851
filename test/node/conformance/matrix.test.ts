/**
 * The conformance matrix: every public operation against docker-registry 2.8.2 and every emulator profile. Each
 * cell passes with a checked result, or ends in the UnsupportedOperationError its registry's refusal calls for
 * (expectations.ts); never a wrong result. Test names cite the registry-quirks rows the profile plays.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileSource } from "../../../src/platform/node/index";
import {
  ContainerRegistryClient,
  pullArtifact,
  purge,
  pushArtifact,
  UnsupportedOperationError,
  type BlobSource,
  copyImage,
} from "../../../src/index";
import { OPERATIONS, TARGETS, type Operation, type Target } from "./expectations";
import { startTarget, type RunningTarget } from "./targets";

const SMALL = 96 * 1024;
const CHUNK = 512 * 1024;
const ARTIFACT_TYPE = "application/vnd.acrkit.conformance.v1";

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A one-shot stream of `bytes` in 256 KiB pieces, of unknown size to the client. */
function oneShot(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 256 * 1024));
      offset += 256 * 1024;
    },
  });
}

let repositoryCount = 0;
function repositoryFor(target: Target, operation: string): string {
  // Docker Hub's mount refusal is for paths of more than two segments (registry-quirks row 20): the source of a
  // copy there has three.
  return `conformance/${target.server}/${operation}-${repositoryCount++}`;
}

/** Uploads a small image (config and one layer) tagged `tag`; returns its manifest digest and layer. */
async function pushImage(client: ContainerRegistryClient, repository: string, tag: string) {
  const layer = new Uint8Array(randomBytes(SMALL));
  const config = new TextEncoder().encode(
    JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }),
  );
  await client.uploadBlob(repository, layer);
  await client.uploadBlob(repository, config);
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: config.byteLength },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256(layer), size: layer.byteLength }],
  };
  const pushed = await client.pushManifest(repository, manifest, { tag });
  return { ...pushed, layer };
}

/** Runs a cell that the registry refuses: it must end in UnsupportedOperationError naming the registry's answer. */
async function expectRefused(target: Target, operation: Operation, run: () => Promise<unknown>): Promise<void> {
  const refused = target.refused[operation]!;
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnsupportedOperationError);
  if (refused.status !== 0) expect((error as UnsupportedOperationError).status).toBe(refused.status);
}

/** The cells: each proves its operation's result, or its refusal. */
const CELLS: Record<Operation, (running: RunningTarget, target: Target) => Promise<void>> = {
  "upload-bytes": (running, target) => roundTrip(running, target, "upload-bytes", (bytes) => bytes),
  "upload-blob": (running, target) =>
    roundTrip(running, target, "upload-blob", (bytes) => new Blob([bytes as Uint8Array<ArrayBuffer>])),
  "upload-stream": (running, target) => roundTrip(running, target, "upload-stream", (bytes) => oneShot(bytes)),
  "upload-file": async (running, target) => {
    const directory = mkdtempSync(join(tmpdir(), "acrkit-conformance-"));
    try {
      await roundTrip(running, target, "upload-file", (bytes) => {
        const path = join(directory, "layer.bin");
        writeFileSync(path, bytes);
        return fileSource(path);
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
  "upload-chunked": (running, target) => roundTrip(running, target, "upload-chunked", (bytes) => bytes, CHUNK),
  async manifests(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "manifests");
    const pushed = await pushImage(client, repository, "v1");
    const byTag = await client.getManifest(repository, "v1");
    const byDigest = await client.getManifest(repository, pushed.digest);
    expect(byTag.digest).toBe(pushed.digest);
    expect(sha256(byDigest.bytes)).toBe(pushed.digest);
    expect(byDigest.bytes).toEqual(byTag.bytes);
  },
  async "download-verified"(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "download");
    const bytes = new Uint8Array(randomBytes(SMALL));
    const { digest } = await client.uploadBlob(repository, bytes);
    const download = await client.downloadBlob(repository, digest);
    expect(sha256(await readAll(download.body))).toBe(digest);
  },
  async "download-resumed"(running, target) {
    const { client } = running.client(true);
    const repository = repositoryFor(target, "resumed");
    const bytes = new Uint8Array(randomBytes(SMALL));
    const { digest } = await client.uploadBlob(repository, bytes);
    // The first authorized blob GET that carries bytes is cut after 40 KiB; a redirected GET carries none (the cut
    // then has nothing to hit, and the plain download is what is checked).
    running.proxy.setRules([
      {
        method: "GET",
        path: new RegExp(`/blobs/${digest}`),
        when: (req) => req.headers.authorization !== undefined,
        fault: { kind: "reset-response", afterBytes: 40 * 1024 },
      },
    ]);
    try {
      const download = await client.downloadBlob(repository, digest);
      expect(sha256(await readAll(download.body))).toBe(digest);
    } finally {
      running.proxy.setRules([]);
    }
  },
  async "list-tags"(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "tags");
    const { digest } = await pushImage(client, repository, "t0");
    const manifest = (await client.getManifest(repository, digest)).bytes;
    const tags = ["t0", "t1", "t2", "t3", "t4"];
    for (const tag of tags.slice(1)) await client.setManifest(repository, manifest, { tag });
    const pages: string[][] = [];
    for await (const page of client.listTagProperties(repository).byPage({ maxPageSize: 2 }))
      pages.push(page.map((tag) => tag.name));
    expect(pages.flat().sort()).toEqual(tags);
    expect(pages.length).toBeGreaterThanOrEqual(3);
  },
  async "list-repositories"(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "catalog");
    await pushImage(client, repository, "v1");
    const list = async () => {
      const names: string[] = [];
      for await (const name of client.listRepositoryNames()) names.push(name);
      return names;
    };
    if (target.refused["list-repositories"]) return expectRefused(target, "list-repositories", list);
    expect(await list()).toContain(repository);
  },
  async "delete-tag"(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "delete-tag");
    const { digest } = await pushImage(client, repository, "gone");
    await client.setManifest(repository, (await client.getManifest(repository, digest)).bytes, { tag: "stays" });
    if (target.refused["delete-tag"])
      return expectRefused(target, "delete-tag", () => client.deleteTag(repository, "gone"));
    await client.deleteTag(repository, "gone");
    expect(await client.manifestExists(repository, "gone")).toBe(false);
    expect(await client.manifestExists(repository, "stays")).toBe(true);
  },
  async "delete-manifest"(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "delete-manifest");
    const { digest } = await pushImage(client, repository, "v1");
    if (target.refused["delete-manifest"])
      return expectRefused(target, "delete-manifest", () => client.deleteManifest(repository, digest));
    await client.deleteManifest(repository, digest);
    expect(await client.manifestExists(repository, digest)).toBe(false);
  },
  async "copy-image"(running, target) {
    const { client } = running.client();
    const source = `${repositoryFor(target, "copy-source")}/deep`;
    const destination = repositoryFor(target, "copy-destination");
    const pushed = await pushImage(client, source, "v1");
    await copyImage(
      { client, repository: source, reference: "v1" },
      { client, repository: destination, reference: "copied" },
    );
    expect((await client.getManifest(destination, "copied")).digest).toBe(pushed.digest);
    const layer = await client.downloadBlob(destination, sha256(pushed.layer));
    expect(sha256(await readAll(layer.body))).toBe(sha256(pushed.layer));
  },
  async "mount-refused"(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "mount");
    const { digest } = await client.uploadBlob(repository, new Uint8Array(randomBytes(1024)));
    // A source the registry does not know (Harbor: 401 "project not found", registry-quirks row 35; Docker Hub: a
    // three-segment path, 400, row 20; elsewhere a 202).
    const destination = repositoryFor(target, "mount-destination");
    expect(await client.mountBlob(destination, digest, "ghost-project/team/app")).toEqual({ mounted: false });
  },
  async referrers(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "referrers");
    const subject = await pushImage(client, repository, "v1");
    const signature = await pushArtifact(client, repository, {
      artifactType: ARTIFACT_TYPE,
      files: [{ name: "signature.sig", data: "signed" }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    });
    const referrers = [];
    for await (const referrer of client.listReferrers(repository, subject.digest)) referrers.push(referrer);
    expect(referrers).toEqual([expect.objectContaining({ digest: signature.digest, artifactType: ARTIFACT_TYPE })]);
  },
  async "no-referrers"(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "no-referrers");
    const subject = await pushImage(client, repository, "v1");
    const referrers = [];
    for await (const referrer of client.listReferrers(repository, subject.digest)) referrers.push(referrer);
    expect(referrers).toEqual([]);
  },
  async artifacts(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "artifacts");
    const data = new Uint8Array(randomBytes(SMALL));
    const pushed = await pushArtifact(client, repository, {
      artifactType: ARTIFACT_TYPE,
      files: [
        { name: "data.bin", data },
        { name: "notes.txt", data: "notes\n" },
      ],
      tag: "v1",
    });
    const pulled = await pullArtifact(client, repository, "v1");
    expect(pulled.digest).toBe(pushed.digest);
    expect(pulled.files.map((file) => file.name)).toEqual(["data.bin", "notes.txt"]);
    const file = pulled.files[0]!;
    expect(sha256(await readAll((await file.download()).body))).toBe(sha256(data));
  },
  async purge(running, target) {
    const { client } = running.client();
    const repository = repositoryFor(target, "purge");
    const { digest } = await pushImage(client, repository, "old");
    // A cutoff a minute ahead: every manifest is older than it. `olderThan: 0` raced the push within one millisecond.
    const run = () =>
      purge(client, { repositories: [repository], olderThan: new Date(Date.now() + 60_000), dryRun: true });
    if (target.refused.purge) return expectRefused(target, "purge", run);
    const result = await run();
    expect(result.deleted.map((manifest) => manifest.digest)).toContain(digest);
    expect(await client.manifestExists(repository, digest)).toBe(true);
  },
};

/** Uploads the target's big size from `source(bytes)` on a fresh client, then reads it back by digest. */
async function roundTrip(
  running: RunningTarget,
  target: Target,
  operation: string,
  source: (bytes: Uint8Array) => BlobSource,
  chunkSize?: number,
): Promise<void> {
  const { client } = running.client();
  const repository = repositoryFor(target, operation);
  const bytes = new Uint8Array(randomBytes(target.bigUpload));
  const digest = sha256(bytes);
  expect(await client.uploadBlob(repository, source(bytes), chunkSize === undefined ? {} : { chunkSize })).toEqual({
    digest,
    size: bytes.byteLength,
  });
  const download = await client.downloadBlob(repository, digest);
  expect(sha256(await readAll(download.body))).toBe(digest);
}

describe.each(TARGETS.map((target) => [`${target.server} (registry-quirks rows ${target.rows})`, target] as const))(
  "%s",
  (_name, target) => {
    let running: RunningTarget;
    beforeAll(async () => {
      running = await startTarget(target);
    });
    afterAll(async () => {
      await running?.close();
    });

    it.concurrent.each(Object.entries(OPERATIONS) as Array<[Operation, string]>)("%s: %s", async (operation) => {
      await CELLS[operation](running, target);
    });
  },
);

describe.each([
  ["docker-hub", "registry-quirks row 18: manifest GETs counted"],
  ["gar", "registry-quirks row 29: every request counted"],
] as const)("%s with rateLimit 10 a second (%s)", (server, _why) => {
  it("reads 15 manifests, waiting out each 429 by its Retry-After", async () => {
    const target = TARGETS.find((candidate) => candidate.server === server)!;
    const running = await startTarget(target, { rateLimit: { perSecond: 10 } });
    try {
      const { client } = running.client();
      const repository = repositoryFor(target, "rate-limit");
      const { digest } = await pushImage(client, repository, "v1");
      for (let index = 0; index < 15; index++) expect((await client.getManifest(repository, "v1")).digest).toBe(digest);
      expect(running.emulator!.requests.some((entry) => entry.status === 429)).toBe(true);
    } finally {
      await running.close();
    }
  });
});
