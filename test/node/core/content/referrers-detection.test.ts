/**
 * Whether the referrers API exists is asked of the API, once per client, not read from `OCI-Subject`: docker-registry
 * 2.8.2 (no API), the emulator (API), and the emulator made to behave like ECR (sends `OCI-Subject` on the manifest
 * PUT, but its referrers API answers 404).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referrersTagOf, type ContainerRegistryClientOptions, type OciDescriptor } from "../../../../src/index";
import { pushImage, pushReferrer } from "../beyond/images";
import { startRegistry, uniqueRepository, type TestRegistry } from "./support";

/** ECR's answer as reported (sigstore-js#1183): OCI-Subject on the PUT of a manifest with a subject, no referrers API. */
function ecrLike(): ContainerRegistryClientOptions["fetch"] {
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (path.includes("/referrers/"))
      return new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain" } });
    const body =
      request.method === "PUT" && path.includes("/manifests/")
        ? await request
            .clone()
            .json()
            .catch(() => undefined)
        : undefined;
    const response = await fetch(request);
    const subject = (body as { subject?: OciDescriptor } | undefined)?.subject;
    if (!subject) return response;
    const headers = new Headers(response.headers);
    headers.set("oci-subject", subject.digest);
    return new Response(response.body, { status: response.status, headers });
  };
}

const cases = [
  { name: "docker-registry 2.8.2", kind: "docker-registry" as const, options: {}, hasApi: false },
  { name: "the emulator", kind: "emulator" as const, options: {}, hasApi: true },
  {
    name: "an ECR-like registry (OCI-Subject without the API)",
    kind: "emulator" as const,
    options: { fetch: ecrLike() },
    hasApi: false,
  },
];

describe.each(cases)("referrers detection on $name", (target) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(target.kind);
  });
  afterAll(() => registry?.stop());

  it("asks the referrers API once, keeps the referrers tag only where it is missing, and lists the referrers", async () => {
    const repository = uniqueRepository("detect");
    const { client, requests } = registry.connect(target.options);
    const subject = await pushImage(client, repository, { tag: "v1" });
    const first = await pushReferrer(client, repository, subject, "application/vnd.example.signature.v1");
    const second = await pushReferrer(client, repository, subject, "application/vnd.example.sbom.v1");

    const tag = referrersTagOf(subject.digest);
    if (target.hasApi) {
      expect(first.referrersTag).toBeUndefined();
      expect(await client.manifestExists(repository, tag)).toBe(false);
    } else {
      expect(first.referrersTag).toBe(tag);
      expect(second.referrersTag).toBe(tag);
    }
    if (target.options.fetch) expect(first.ociSubject).toBe(subject.digest);

    const listed: string[] = [];
    for await (const referrer of client.listReferrers(repository, subject.digest)) listed.push(referrer.digest);
    expect(listed.sort()).toEqual([first.digest, second.digest].sort());

    // Decided from the first answer (while pushing the first referrer): pushes do not ask again, and without the
    // API neither does the listing.
    const asked = requests.filter(
      (entry) => entry.status !== 401 && new URL(entry.url).pathname.includes("/referrers/"),
    );
    expect(asked.length).toBe(target.hasApi ? 2 : 1);
  });
});
