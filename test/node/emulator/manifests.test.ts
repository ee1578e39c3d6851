import { describe, expect, it } from "vitest";
import { errorCode, sha256, useAdminEmulator } from "./helpers";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const EMPTY = { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256("{}"), size: 2 };

const admin = useAdminEmulator();
const call = admin.call;

function put(repository: string, reference: string, body: string, mediaType = OCI_MANIFEST) {
  return call("PUT", `/v2/${repository}/manifests/${reference}`, { body, headers: { "content-type": mediaType } });
}

/** An artifact manifest (empty config) referring to `subject`. */
async function artifact(
  repository: string,
  artifactType: string,
  subject: { digest: string; size: number; mediaType: string },
) {
  await admin.started.emulator.seedBlob(repository, "{}");
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: EMPTY,
    layers: [EMPTY],
    subject,
    annotations: { "org.example.kind": artifactType },
  });
  return { body, digest: sha256(body), response: await put(repository, sha256(body), body) };
}

describe("manifest push and pull", () => {
  it("stores the exact bytes and serves them by tag and digest with type, digest and length", async () => {
    const configJson = JSON.stringify({ architecture: "s390x", os: "linux" });
    const config = await admin.started.emulator.seedBlob("app", configJson);
    // Odd spacing on purpose: the registry must not re-serialize.
    const body = `{ "schemaVersion":2, "mediaType":"${DOCKER_MANIFEST}",
      "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"${config}","size":${configJson.length}}, "layers":[] }`;
    const response = await put("app", "v1", body, DOCKER_MANIFEST);
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe(`/v2/app/manifests/${sha256(body)}`);
    expect(response.headers.get("docker-content-digest")).toBe(sha256(body));
    expect(response.headers.get("oci-subject")).toBeNull();
    for (const reference of ["v1", sha256(body)]) {
      const get = await call("GET", `/v2/app/manifests/${reference}`, { headers: { accept: DOCKER_MANIFEST } });
      expect(get.headers.get("content-type")).toBe(DOCKER_MANIFEST);
      expect(get.headers.get("docker-content-digest")).toBe(sha256(body));
      expect(get.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
      expect(await get.text()).toBe(body);
    }
    const head = await call("HEAD", "/v2/app/manifests/v1");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    const properties = (await (await call("GET", `/acr/v1/app/_manifests/${sha256(body)}`)).json()) as any;
    expect(properties.manifest).toMatchObject({ architecture: "s390x", os: "linux", tags: ["v1"] });
  });

  it("negotiates Accept: exact type, wildcards and q-params; 404 when the type is not accepted", async () => {
    const image = await admin.started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    const get = (accept: string) => call("GET", "/v2/app/manifests/v1", { headers: { accept } });
    expect((await get(`${DOCKER_MANIFEST}, ${OCI_MANIFEST}`)).status).toBe(200);
    expect((await get(`${DOCKER_MANIFEST}, */*`)).status).toBe(200);
    expect((await get("application/*;q=0.5")).status).toBe(200);
    expect((await get(`${OCI_MANIFEST};q=0.9`)).status).toBe(200);
    const refused = await get(`${OCI_MANIFEST};q=0, ${DOCKER_MANIFEST}`);
    expect(refused.status).toBe(404);
    const wrong = await get(DOCKER_MANIFEST);
    expect(wrong.status).toBe(404);
    expect(await errorCode(wrong)).toBe("MANIFEST_UNKNOWN");
    expect((await call("GET", `/v2/app/manifests/${image.digest}`)).status).toBe(200);
  });

  it("reports missing manifests and repositories with ACR's codes and details", async () => {
    await admin.started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    const missing = await call("GET", "/v2/app/manifests/1.1.2");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      errors: [
        { code: "MANIFEST_UNKNOWN", message: 'manifest tagged by "1.1.2" is not found', detail: { Tag: "1.1.2" } },
      ],
    });
    expect(await errorCode(await call("GET", "/v2/nope/manifests/v1"))).toBe("NAME_UNKNOWN");
    expect(await errorCode(await call("GET", "/v2/app/manifests/sha256:123"))).toBe("DIGEST_INVALID");
  });

  it("refuses bad JSON, unknown blobs, a digest mismatch and manifests over 4 MiB", async () => {
    expect(await errorCode(await put("app", "v1", "not json"))).toBe("MANIFEST_INVALID");
    const unknown = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY, layers: [] });
    const blobUnknown = await put("app", "v1", unknown);
    expect(blobUnknown.status).toBe(400);
    expect(await blobUnknown.json()).toEqual({
      errors: [{ code: "MANIFEST_BLOB_UNKNOWN", message: "blob unknown to registry", detail: EMPTY.digest }],
    });
    await admin.started.emulator.seedBlob("app", "{}");
    expect(await errorCode(await put("app", sha256("something else"), unknown))).toBe("DIGEST_INVALID");
    expect(await errorCode(await put("app", "v1", unknown, OCI_INDEX))).toBe("MANIFEST_INVALID");
    const huge = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: EMPTY,
      layers: [],
      annotations: { pad: "x".repeat(4 * 1024 * 1024) },
    });
    expect((await put("app", "big", huge)).status).toBe(413);
    expect((await put("app", "v1", unknown)).status).toBe(201);
  });

  it("requires an index's manifests to exist", async () => {
    const image = await admin.started.emulator.seedImage({ repository: "app" });
    const child = {
      mediaType: OCI_MANIFEST,
      digest: image.digest,
      size: image.size,
      platform: { architecture: "amd64", os: "linux" },
    };
    const index = (manifests: unknown[]) => JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
    expect(await errorCode(await put("app", "multi", index([{ ...child, digest: sha256("x") }]), OCI_INDEX))).toBe(
      "MANIFEST_BLOB_UNKNOWN",
    );
    expect((await put("app", "multi", index([child]), OCI_INDEX)).status).toBe(201);
  });

  it("deletes by tag (untag only) and by digest (manifest and its tags)", async () => {
    const image = await admin.started.emulator.seedImage({ repository: "app", tags: ["v1", "v2", "v3"] });
    expect((await call("DELETE", "/v2/app/manifests/v1")).status).toBe(202);
    expect((await call("GET", "/v2/app/manifests/v1")).status).toBe(404);
    expect((await call("GET", "/v2/app/manifests/v2")).status).toBe(200);
    expect((await call("DELETE", `/v2/app/manifests/${image.digest}`)).status).toBe(202);
    expect((await call("GET", "/v2/app/manifests/v2")).status).toBe(404);
    expect(await errorCode(await call("DELETE", "/v2/app/manifests/v9"))).toBe("NAME_UNKNOWN");
  });
});

describe("referrers", () => {
  it("answers OCI-Subject on push and lists referrers with artifactType and annotations", async () => {
    const image = await admin.started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    const subject = { mediaType: OCI_MANIFEST, digest: image.digest, size: image.size };
    const signature = await artifact("app", "application/vnd.example.signature", subject);
    expect(signature.response.status).toBe(201);
    expect(signature.response.headers.get("oci-subject")).toBe(image.digest);
    const sbom = await artifact("app", "application/spdx+json", subject);
    const response = await call("GET", `/v2/app/referrers/${image.digest}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(OCI_INDEX);
    expect(response.headers.get("oci-filters-applied")).toBeNull();
    const index = (await response.json()) as any;
    expect(index).toMatchObject({ schemaVersion: 2, mediaType: OCI_INDEX });
    const expected = [signature, sbom].map((item) => ({
      mediaType: OCI_MANIFEST,
      digest: item.digest,
      size: Buffer.byteLength(item.body),
      artifactType: JSON.parse(item.body).artifactType,
      annotations: JSON.parse(item.body).annotations,
    }));
    expect(index.manifests).toEqual(expected.sort((a, b) => (a.digest < b.digest ? -1 : 1)));
    const filtered = await call("GET", `/v2/app/referrers/${image.digest}?artifactType=application/spdx%2Bjson`);
    expect(filtered.headers.get("oci-filters-applied")).toBe("artifactType");
    expect(((await filtered.json()) as any).manifests.map((m: any) => m.digest)).toEqual([sbom.digest]);
  });

  it("accepts a referrer before its subject, returns an empty index for unknown subjects and 400 for bad digests", async () => {
    const ghost = { mediaType: OCI_MANIFEST, digest: sha256("not pushed yet"), size: 10 };
    expect((await artifact("app", "application/vnd.example", ghost)).response.status).toBe(201);
    const unknown = await call("GET", `/v2/app/referrers/${sha256("nobody")}`);
    expect(unknown.status).toBe(200);
    expect(((await unknown.json()) as any).manifests).toEqual([]);
    expect((await call("GET", "/v2/app/referrers/sha256:xyz")).status).toBe(400);
  });
});

describe("tags/list and /v2/_catalog", () => {
  it("page with n, last and a relative Link", async () => {
    await admin.started.emulator.seedImage({ repository: "team/app", tags: ["e", "d", "c", "b", "a"] });
    const first = await call("GET", "/v2/team/app/tags/list?n=2");
    expect(await first.json()).toEqual({ name: "team/app", tags: ["a", "b"] });
    expect(first.headers.get("link")).toBe(`</v2/team/app/tags/list?last=b&n=2&orderby=>; rel="next"`);
    const last = await call("GET", "/v2/team/app/tags/list?n=2&last=d");
    expect(await last.json()).toEqual({ name: "team/app", tags: ["e"] });
    expect(last.headers.get("link")).toBeNull();
    expect(((await (await call("GET", "/v2/team/app/tags/list?n=0")).json()) as any).tags).toEqual([]);
    await admin.started.emulator.seedRepositories(3);
    const catalog = await call("GET", "/v2/_catalog?n=2");
    expect(await catalog.json()).toEqual({ repositories: ["repo000", "repo001"] });
    expect(catalog.headers.get("link")).toBe(`</v2/_catalog?last=repo001&n=2&orderby=>; rel="next"`);
    expect(await errorCode(await call("GET", "/v2/missing/tags/list"))).toBe("NAME_UNKNOWN");
  });
});
