/**
 * pushArtifact → pullArtifact with browser Files, in Chromium: against the emulator with CORS and docker-registry
 * 2.8.2 with CORS headers (no ACR API, no referrers API); and listing on docker-registry from a page, where its
 * /acr/v1 404 carries no CORS headers.
 */
import { describe, expect, it } from "vitest";
import { ContainerRegistryClient, pullArtifact, pushArtifact, UnsupportedOperationError } from "../../src/index";
import { adminClient, randomBytes, readAll, servers, sha256, uniqueRepository } from "./support/in-browser";

const MiB = 1024 * 1024;
const { emulator, dockerRegistry } = servers();

const targets = [
  { name: "the emulator", client: () => adminClient(emulator) },
  { name: "docker-registry 2.8.2", client: () => new ContainerRegistryClient(dockerRegistry) },
];

describe.each(targets)("artifacts of browser Files on $name", (target) => {
  it("round-trips several Files, with their names, types and bytes, and progress to the total", async () => {
    const client = target.client();
    const repository = uniqueRepository("browser/artifacts");
    const big = randomBytes(9 * MiB + 3);
    const files = [
      new File([big], "video.bin", { type: "application/octet-stream" }),
      new File(["# Notes\n\nHello from a page.\n"], "notes.md", { type: "text/markdown" }),
      new File([randomBytes(70_000)], "data.json", { type: "application/json" }),
    ];
    let last: { loaded: number; total?: number } = { loaded: 0 };
    const pushed = await pushArtifact(
      client,
      repository,
      {
        artifactType: "application/vnd.acrkit.browser.bundle",
        files: files.map((file) => ({ name: file.name, data: file })),
        tag: "v1",
      },
      { onProgress: (progress) => (last = progress) },
    );
    const total = files.reduce((sum, file) => sum + file.size, 0);
    expect(last).toEqual({ loaded: total, total });

    const pulled = await pullArtifact(client, repository, "v1");
    expect(pulled.digest).toBe(pushed.digest);
    expect(pulled.files.map((file) => [file.name, file.mediaType, file.size])).toEqual(
      files.map((file) => [file.name, file.type, file.size]),
    );
    for (const [index, entry] of pulled.files.entries()) {
      const original = new Uint8Array(await files[index]!.arrayBuffer());
      const downloaded = await readAll((await entry.download()).body);
      expect(await sha256(downloaded)).toBe(await sha256(original));
      expect(entry.digest).toBe(await sha256(original));
    }
  });
});

describe("a page on docker-registry, whose /acr/v1 404 has no CORS headers", () => {
  it("lists repositories and tags through the OCI API and refuses ACR-only calls with UnsupportedOperationError", async () => {
    const client = new ContainerRegistryClient(dockerRegistry);
    const repository = uniqueRepository("browser/oci-listing");
    for (const tag of ["a", "b", "c"]) {
      await pushArtifact(client, repository, {
        artifactType: "application/vnd.acrkit.browser.test",
        files: [{ name: `${tag}.txt`, data: tag }],
        tag,
      });
    }
    const names: string[] = [];
    for await (const name of client.listRepositoryNames()) names.push(name);
    expect(names).toContain(repository);
    const pages: string[][] = [];
    for await (const page of client
      .listTagProperties(repository, { includeDigests: true })
      .byPage({ maxPageSize: 2 })) {
      pages.push(page.map((tag) => tag.name));
      expect(page.every((tag) => tag.digest?.startsWith("sha256:"))).toBe(true);
    }
    expect(pages).toEqual([["a", "b"], ["c"]]);
    await expect(client.getRepositoryProperties(repository)).rejects.toBeInstanceOf(UnsupportedOperationError);
  });
});
