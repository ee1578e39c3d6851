import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizePlatform, PlatformNotFoundError, selectPlatform, type OciDescriptor } from "../../../../src/index";
import { REGISTRY_KINDS, startRegistry, uniqueRepository, type TestRegistry } from "../content/support";
import { pushImage, pushIndex } from "./images";

describe("selectPlatform", () => {
  const entry = (architecture: string, variant?: string, os = "linux"): OciDescriptor => ({
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: `sha256:${architecture}${variant ?? ""}${os}`,
    size: 1,
    platform: variant === undefined ? { os, architecture } : { os, architecture, variant },
  });
  const list = [
    entry("amd64"),
    entry("arm64"),
    entry("arm", "v6"),
    entry("arm", "v7"),
    entry("amd64", undefined, "windows"),
  ];

  it("matches os and architecture, and a variant exactly when one is given", () => {
    expect(selectPlatform(list, { os: "linux", architecture: "amd64" })).toBe(list[0]);
    expect(selectPlatform(list, { os: "windows", architecture: "amd64" })).toBe(list[4]);
    expect(selectPlatform(list, { os: "linux", architecture: "arm", variant: "v6" })).toBe(list[2]);
    expect(selectPlatform(list, { os: "linux", architecture: "arm", variant: "v5" })).toBeUndefined();
    expect(selectPlatform(list, { os: "darwin", architecture: "amd64" })).toBeUndefined();
  });

  it("takes arm64 without variant as v8, and arm without variant as v7", () => {
    expect(selectPlatform(list, { os: "linux", architecture: "arm64", variant: "v8" })).toBe(list[1]);
    expect(selectPlatform(list, { os: "linux", architecture: "arm64", variant: "8" })).toBe(list[1]);
    expect(selectPlatform(list, { os: "linux", architecture: "arm64", variant: "v9" })).toBeUndefined();
    expect(selectPlatform(list, { os: "linux", architecture: "arm" })).toBe(list[3]);
    expect(selectPlatform([entry("arm64", "v8")], { os: "linux", architecture: "arm64" })?.platform?.variant).toBe(
      "v8",
    );
  });

  it("resolves architecture aliases", () => {
    expect(normalizePlatform({ os: "Linux", architecture: "aarch64" })).toEqual({
      os: "linux",
      architecture: "arm64",
      variant: "v8",
    });
    expect(normalizePlatform({ os: "linux", architecture: "x86_64" })).toEqual({ os: "linux", architecture: "amd64" });
    expect(normalizePlatform({ os: "linux", architecture: "armhf" })).toEqual({
      os: "linux",
      architecture: "arm",
      variant: "v7",
    });
    expect(selectPlatform(list, { os: "linux", architecture: "x86_64" })).toBe(list[0]);
  });

  it("skips entries without a platform", () => {
    const bare: OciDescriptor = {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: "sha256:x",
      size: 1,
    };
    expect(selectPlatform([bare, list[0]!], { os: "linux", architecture: "amd64" })).toBe(list[0]);
  });
});

describe.each(REGISTRY_KINDS)("getManifest with a platform against %s", (kind) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const platforms = [
    { os: "linux", architecture: "amd64" },
    { os: "linux", architecture: "arm64" },
    { os: "linux", architecture: "arm", variant: "v7" },
  ];

  it.each([false, true])(
    "resolves an index (docker manifest list: %s) to each platform's manifest, verified",
    async (docker) => {
      const repository = uniqueRepository("platforms");
      const { client } = registry.connect();
      const index = await pushIndex(client, repository, platforms, { tag: "multi", docker });
      const whole = await client.getManifest(repository, "multi");
      expect(whole.digest).toBe(index.digest);
      expect(whole.mediaType).toBe(index.mediaType);
      for (const image of index.images) {
        const resolved = await client.getManifest(repository, "multi", { platform: image.platform! });
        expect(resolved.digest).toBe(image.digest);
        expect(resolved.manifest.layers).toHaveLength(2);
      }
      const arm64 = await client.getManifest(repository, index.digest, {
        platform: { os: "linux", architecture: "arm64", variant: "v8" },
      });
      expect(arm64.digest).toBe(index.images[1]!.digest);
    },
  );

  it("throws PlatformNotFoundError listing the platforms there are", async () => {
    const repository = uniqueRepository("no-platform");
    const { client } = registry.connect();
    const index = await pushIndex(client, repository, platforms, { tag: "multi" });
    const failure = await client
      .getManifest(repository, "multi", { platform: { os: "windows", architecture: "amd64" } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlatformNotFoundError);
    const error = failure as PlatformNotFoundError;
    expect(error.requested).toEqual({ os: "windows", architecture: "amd64" });
    expect(error.available).toEqual(platforms);
    expect(error.indexDigest).toBe(index.digest);
    expect(error.message).toContain("linux/amd64, linux/arm64, linux/arm/v7");
  });

  it("returns a single-platform manifest as it is", async () => {
    const repository = uniqueRepository("single");
    const { client } = registry.connect();
    const image = await pushImage(client, repository, { tag: "one" });
    expect(
      (await client.getManifest(repository, "one", { platform: { os: "linux", architecture: "s390x" } })).digest,
    ).toBe(image.digest);
  });

  it("refuses a malformed platform before any request", async () => {
    const { client, requests } = registry.connect();
    await expect(client.getManifest("ok", "v1", { platform: { os: "linux" } as never })).rejects.toThrow(
      /platform.architecture/,
    );
    await expect(client.getManifest("ok", "v1", { platform: { os: "", architecture: "amd64" } })).rejects.toThrow(
      TypeError,
    );
    await expect(
      client.getManifest("ok", "v1", { platform: { os: "linux", architecture: "arm", variant: 7 as never } }),
    ).rejects.toThrow(/variant/);
    expect(requests).toEqual([]);
  });
});
