import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referrersTagOf, type OciDescriptor } from "../../../../src/index";
import { REGISTRY_KINDS, startRegistry, uniqueRepository, type TestRegistry } from "../content/support";
import { pushImage, pushReferrer } from "./images";

const SIGNATURE = "application/vnd.example.signature.v1";
const SBOM = "application/spdx+json";

async function collect(iterator: AsyncIterable<OciDescriptor>): Promise<OciDescriptor[]> {
  const all: OciDescriptor[] = [];
  for await (const descriptor of iterator) all.push(descriptor);
  return all;
}

const byDigest = (a: OciDescriptor, b: OciDescriptor) => (a.digest < b.digest ? -1 : 1);

describe.each(REGISTRY_KINDS)("referrers against %s", (kind) => {
  let registry: TestRegistry;
  // The emulator has the referrers API; docker-registry 2.8.2 has not, so the client keeps the referrers tag.
  const hasApi = kind === "emulator";
  beforeAll(async () => {
    registry = await startRegistry(kind);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it("pushes referrers with a subject and lists them, whole and filtered by artifactType", async () => {
    const repository = uniqueRepository("referrers");
    const { client, requests } = registry.connect();
    const subject = await pushImage(client, repository, { tag: "v1" });
    const signature = await pushReferrer(client, repository, subject, SIGNATURE);
    const sbom = await pushReferrer(client, repository, subject, SBOM);

    expect(signature.subject).toBe(subject.digest);
    if (hasApi) {
      expect(signature.ociSubject).toBe(subject.digest);
      expect(signature.referrersTag).toBeUndefined();
      expect(await client.manifestExists(repository, referrersTagOf(subject.digest))).toBe(false);
    } else {
      expect(signature.ociSubject).toBeUndefined();
      expect(signature.referrersTag).toBe(`sha256-${subject.digest.slice("sha256:".length)}`);
      expect(await client.manifestExists(repository, signature.referrersTag!)).toBe(true);
    }

    requests.length = 0;
    const all = await collect(client.listReferrers(repository, subject.digest));
    expect(all.sort(byDigest)).toEqual(
      [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: signature.digest,
          size: signature.size,
          artifactType: SIGNATURE,
          annotations: expect.any(Object),
        },
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: sbom.digest,
          size: sbom.size,
          artifactType: SBOM,
          annotations: expect.any(Object),
        },
      ].sort(byDigest),
    );
    // The client asked the API while pushing; after its 404 it goes to the referrers tag without asking again.
    const referrerCalls = requests.filter((entry) => entry.url.includes("/referrers/")).map((entry) => entry.status);
    expect(referrerCalls).toEqual(hasApi ? [200] : []);

    const signatures = await collect(client.listReferrers(repository, subject.digest, { artifactType: SIGNATURE }));
    expect(signatures.map((entry) => entry.digest)).toEqual([signature.digest]);
    expect(
      await collect(client.listReferrers(repository, subject.digest, { artifactType: "application/none" })),
    ).toEqual([]);
  });

  it("lists no referrers of a subject without any, also in a repository that does not exist", async () => {
    const { client } = registry.connect();
    const repository = uniqueRepository("no-referrers");
    const image = await pushImage(client, repository);
    expect(await collect(client.listReferrers(repository, image.digest))).toEqual([]);
    expect(await collect(client.listReferrers(uniqueRepository("missing"), image.digest))).toEqual([]);
  });

  it("lists a referrer pushed twice once, and accepts a subject that does not exist yet", async () => {
    const repository = uniqueRepository("dedupe");
    const { client } = registry.connect();
    const future = {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: `sha256:${"a".repeat(64)}`,
      size: 123,
    };
    const first = await pushReferrer(client, repository, future, SIGNATURE, "same payload");
    const again = await pushReferrer(client, repository, future, SIGNATURE, "same payload");
    expect(again.digest).toBe(first.digest);
    const listed = await collect(client.listReferrers(repository, future.digest));
    expect(listed.map((entry) => entry.digest)).toEqual([first.digest]);
  });

  it("keeps every referrer when several are pushed at once", async () => {
    const repository = uniqueRepository("concurrent-referrers");
    const { client } = registry.connect();
    const subject = await pushImage(client, repository);
    const pushed = await Promise.all(
      [1, 2, 3, 4].map((n) => pushReferrer(client, repository, subject, SIGNATURE, `signature ${n}`)),
    );
    const listed = await collect(client.listReferrers(repository, subject.digest));
    expect(listed.map((entry) => entry.digest).sort()).toEqual(pushed.map((entry) => entry.digest).sort());
  });

  it("refuses a bad digest, a bad artifactType and a bad subject before any request", async () => {
    const { client, requests } = registry.connect();
    expect(() => client.listReferrers("ok", "sha256:nothex")).toThrow(/sha256:nothex/);
    expect(() => client.listReferrers("ok", `sha256:${"a".repeat(64)}`, { artifactType: "" })).toThrow(TypeError);
    const manifest = {
      schemaVersion: 2,
      config: { mediaType: "x", digest: `sha256:${"b".repeat(64)}`, size: 1 },
      layers: [],
      subject: { digest: "sha256:short" },
    };
    await expect(client.setManifest("ok", manifest)).rejects.toThrow(/sha256:short/);
    expect(requests).toEqual([]);
  });
});

describe("referrers API without the registry's filter", () => {
  it("filters by artifactType itself when the registry sends no OCI-Filters-Applied", async () => {
    const registry = await startRegistry("emulator");
    try {
      const repository = uniqueRepository("client-filter");
      const { client: writer } = registry.connect();
      const subject = await pushImage(writer, repository);
      const signature = await pushReferrer(writer, repository, subject, SIGNATURE);
      await pushReferrer(writer, repository, subject, SBOM);
      // A registry that ignores the filter: the query parameter never reaches the emulator.
      const { client } = registry.connect({
        fetch: (request) => {
          const url = new URL(request.url);
          url.searchParams.delete("artifactType");
          return fetch(new Request(url, request));
        },
      });
      const listed = await collect(client.listReferrers(repository, subject.digest, { artifactType: SIGNATURE }));
      expect(listed.map((entry) => entry.digest)).toEqual([signature.digest]);
    } finally {
      await registry.stop();
    }
  });

  it("follows the Link header from page to page", async () => {
    const registry = await startRegistry("emulator");
    try {
      const repository = uniqueRepository("referrer-pages");
      const { client: writer } = registry.connect();
      const subject = await pushImage(writer, repository);
      const pushed = await Promise.all(
        [1, 2, 3].map((n) => pushReferrer(writer, repository, subject, SIGNATURE, `page ${n}`)),
      );
      // The emulator sends one page; this proxy splits it into pages of one entry, linked with a relative `Link`.
      const { client } = registry.connect({
        fetch: async (request) => {
          const url = new URL(request.url);
          if (!url.pathname.includes("/referrers/")) return fetch(request);
          const page = Number(url.searchParams.get("page") ?? "0");
          url.searchParams.delete("page");
          const response = await fetch(new Request(url, request));
          if (response.status !== 200) return response;
          const index = (await response.json()) as { manifests: OciDescriptor[] };
          const headers = new Headers(response.headers);
          headers.delete("content-length");
          if (page + 1 < index.manifests.length) headers.set("link", `<${url.pathname}?page=${page + 1}>; rel="next"`);
          return new Response(JSON.stringify({ ...index, manifests: index.manifests.slice(page, page + 1) }), {
            status: response.status,
            headers,
          });
        },
      });
      const pages: number[] = [];
      for await (const page of client.listReferrers(repository, subject.digest).byPage()) pages.push(page.length);
      expect(pages).toEqual([1, 1, 1]);
      const listed = await collect(client.listReferrers(repository, subject.digest));
      expect(listed.map((entry) => entry.digest).sort()).toEqual(pushed.map((entry) => entry.digest).sort());
    } finally {
      await registry.stop();
    }
  });
});
