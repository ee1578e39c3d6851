/**
 * The registry profiles, driven in-process with raw requests: each behaviour a profile plays, named with its
 * registry-quirks row.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEmulator, type Emulator, type EmulatorOptions, type RegistryProfile } from "../../../src/emulator/index";

const ORIGIN = "http://registry.test";
const MIB = 1024 * 1024;

function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function open(profile: RegistryProfile, options: EmulatorOptions = {}) {
  const emulator = createEmulator({ profile, authRequired: false, ...options });
  const call = (method: string, path: string, init: RequestInit = {}) =>
    emulator.fetch(
      new Request(new URL(path, ORIGIN), {
        method,
        ...init,
        ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
      } as RequestInit),
    );
  return { emulator, call };
}

async function session(
  call: ReturnType<typeof open>["call"],
  repository = "app",
): Promise<{ location: string; response: Response }> {
  const response = await call("POST", `/v2/${repository}/blobs/uploads/`);
  expect(response.status).toBe(202);
  return { location: response.headers.get("location")!, response };
}

function patch(call: ReturnType<typeof open>["call"], location: string, body: Uint8Array<ArrayBuffer>, start: number) {
  return call("PATCH", location, { body, headers: { "content-range": `${start}-${start + body.byteLength - 1}` } });
}

async function errorCodeOf(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { errors?: Array<{ code: string }> }).errors?.[0]?.code;
}

async function seed(emulator: Emulator, repository = "app", tags = ["v1"]) {
  return emulator.seedImage({ repository, tags });
}

describe("every profile but acr", () => {
  it.each([
    "distribution",
    "ghcr",
    "ecr",
    "docker-hub",
    "gar",
    "quay",
    "harbor",
    "gitlab",
    "gitea",
    "artifactory",
    "nexus",
    "zot",
  ] as const)(
    "%s has no /acr/v1 and no OAuth2 POST on its token endpoint (registry-quirks row 63)",
    async (profile) => {
      const { emulator, call } = open(profile);
      await seed(emulator);
      expect((await call("GET", "/acr/v1/_catalog")).status).toBe(404);
      expect((await call("POST", "/oauth2/token", { body: "grant_type=password" })).status).toBe(404);
      expect((await call("GET", "/v2/app/tags/list")).status).toBe(200);
    },
  );
});

describe("rateLimit", () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses %s requests a second with a RangeError naming it",
    (perSecond) => {
      expect(() => createEmulator({ rateLimit: { perSecond } })).toThrow(
        new RangeError(`rateLimit.perSecond must be a number of at least 1, got ${String(perSecond)}`),
      );
    },
  );
});

describe("ghcr", () => {
  it("answers a Content-Range chunk over 4 MiB 416 with the 4.00MiB message, and takes 4 MiB (registry-quirks row 13)", async () => {
    const { call } = open("ghcr");
    const { location } = await session(call);
    const refused = await patch(call, location, new Uint8Array(4 * MIB + 1), 0);
    expect(refused.status).toBe(416);
    const body = (await refused.json()) as { errors: Array<{ code: string; message: string }> };
    expect(body.errors[0]).toMatchObject({
      code: "REQUESTED_RANGE_NOT_SATISFIABLE",
      message: expect.stringContaining("4.00MiB"),
    });
    expect((await patch(call, location, new Uint8Array(4 * MIB), 0)).status).toBe(202);
  });

  it("has no referrers API, no _catalog and refuses manifest DELETE with 405 (registry-quirks rows 15, 16, 17)", async () => {
    const { emulator, call } = open("ghcr");
    const image = await seed(emulator);
    expect((await call("GET", `/v2/app/referrers/${image.digest}`)).status).toBe(404);
    expect((await call("GET", "/v2/_catalog")).status).toBe(404);
    const deleted = await call("DELETE", `/v2/app/manifests/${image.digest}`);
    expect(deleted.status).toBe(405);
    expect(await errorCodeOf(deleted)).toBe("UNSUPPORTED");
  });
});

describe("ecr", () => {
  it("answers PATCH 201 and stops advancing Range after the second chunk, storing every chunk (registry-quirks rows 1, 2, 3)", async () => {
    const { call } = open("ecr");
    const { location: first, response } = await session(call);
    expect(response.headers.get("oci-chunk-min-length")).toBe(String(5 * MIB));
    const chunk = new Uint8Array(5 * MIB).fill(7);
    let location = first;
    const ranges: string[] = [];
    for (let index = 0; index < 3; index++) {
      const answer = await patch(call, location, chunk, index * chunk.byteLength);
      expect(answer.status).toBe(201);
      ranges.push(answer.headers.get("range")!);
      location = answer.headers.get("location")!;
    }
    expect(ranges).toEqual([`0-${5 * MIB - 1}`, `0-${10 * MIB - 1}`, `0-${10 * MIB - 1}`]);
    const status = await call("GET", location);
    expect(status.headers.get("range")).toBe(`0-${15 * MIB - 1}`);
  });

  it("sends no Docker-Content-Digest on manifest GET, only on HEAD (registry-quirks row 6)", async () => {
    const { emulator, call } = open("ecr");
    const image = await seed(emulator);
    expect((await call("GET", "/v2/app/manifests/v1")).headers.has("docker-content-digest")).toBe(false);
    expect((await call("HEAD", "/v2/app/manifests/v1")).headers.get("docker-content-digest")).toBe(image.digest);
  });

  it("refuses tags/list n over 1000 with 400 UNSUPPORTED and pages with an absolute Link (registry-quirks row 8)", async () => {
    const { emulator, call } = open("ecr");
    await seed(emulator, "app", ["a", "b", "c"]);
    const refused = await call("GET", "/v2/app/tags/list?n=1001");
    expect(refused.status).toBe(400);
    expect(await errorCodeOf(refused)).toBe("UNSUPPORTED");
    expect((await call("GET", "/v2/app/tags/list?n=2")).headers.get("link")).toMatch(
      /^<http:\/\/registry\.test\/v2\/app\/tags\/list\?/,
    );
  });

  it("challenges Basic (registry-quirks row 11) and answers a mount 202 (row 12)", async () => {
    const { emulator, call } = open("ecr", { authRequired: true, users: { AWS: "token" } });
    expect((await call("GET", "/v2/")).headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const image = await seed(emulator, "source");
    const authorization = `Basic ${Buffer.from("AWS:token").toString("base64")}`;
    const mount = await call("POST", `/v2/target/blobs/uploads/?mount=${image.layerDigests[0]}&from=source`, {
      headers: { authorization },
    });
    expect(mount.status).toBe(202);
  });
});

describe("docker-hub", () => {
  it("answers manifest GETs over the rate limit 429 with Retry-After, and does not count HEAD (registry-quirks row 18)", async () => {
    let now = 1_000_000;
    const { emulator, call } = open("docker-hub", { rateLimit: { perSecond: 3 }, clock: () => now });
    await seed(emulator);
    for (let index = 0; index < 5; index++) expect((await call("HEAD", "/v2/app/manifests/v1")).status).toBe(200);
    for (let index = 0; index < 3; index++) expect((await call("GET", "/v2/app/manifests/v1")).status).toBe(200);
    const limited = await call("GET", "/v2/app/manifests/v1");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await errorCodeOf(limited)).toBe("TOOMANYREQUESTS");
    now += 1000;
    expect((await call("GET", "/v2/app/manifests/v1")).status).toBe(200);
  });

  it("answers a mount from a three-segment path 400 with a details body (registry-quirks row 20)", async () => {
    const { emulator, call } = open("docker-hub");
    const image = await seed(emulator, "gar/team/app");
    const mount = await call("POST", `/v2/library/app/blobs/uploads/?mount=${image.layerDigests[0]}&from=gar/team/app`);
    expect(mount.status).toBe(400);
    expect(await mount.json()).toEqual({ details: "invalid repository name" });
  });

  it("refuses manifest DELETE by digest and by tag with 405, and has no _catalog (registry-quirks row 21)", async () => {
    const { emulator, call } = open("docker-hub");
    const image = await seed(emulator);
    expect((await call("DELETE", `/v2/app/manifests/${image.digest}`)).status).toBe(405);
    expect((await call("DELETE", "/v2/app/manifests/v1")).status).toBe(405);
    expect((await call("GET", "/v2/_catalog")).status).toBe(404);
  });
});

describe("harbor", () => {
  it("answers a body over 1 MiB with nginx's 413 HTML page and Connection: close, and stores nothing (registry-quirks row 57)", async () => {
    const { call } = open("harbor");
    const { location } = await session(call);
    const body = new Uint8Array(MIB + 1);
    const refused = await call("PUT", `${location}&digest=${digestOf(body)}`, { body });
    expect(refused.status).toBe(413);
    expect(refused.headers.get("content-type")).toBe("text/html");
    expect(refused.headers.get("connection")).toBe("close");
    expect(await refused.text()).toContain("413 Request Entity Too Large");
  });

  it("answers a mount from a project that does not exist 401 'project not found' (registry-quirks row 35)", async () => {
    const { emulator, call } = open("harbor");
    const image = await seed(emulator, "real/app");
    const mount = await call("POST", `/v2/real/copy/blobs/uploads/?mount=${image.layerDigests[0]}&from=ghost/app`);
    expect(mount.status).toBe(401);
    expect(await mount.text()).toContain("project ghost not found");
  });

  it("sets CSRF cookies and refuses a write that sends one back with 403 (registry-quirks row 36)", async () => {
    const { call } = open("harbor");
    const first = await call("GET", "/v2/");
    expect(first.headers.getSetCookie().some((cookie) => cookie.startsWith("_gorilla_csrf="))).toBe(true);
    const write = await call("POST", "/v2/app/blobs/uploads/", { headers: { cookie: "sid=1; _gorilla_csrf=2" } });
    expect(write.status).toBe(403);
    expect((await call("POST", "/v2/app/blobs/uploads/")).status).toBe(202);
  });

  it("answers _catalog 401 (registry-quirks row 37)", async () => {
    const { call } = open("harbor");
    expect((await call("GET", "/v2/_catalog")).status).toBe(401);
  });
});

describe("gitlab", () => {
  it("redirects a blob HEAD to storage signed for GET, which answers it 403 while GET works (registry-quirks rows 43, 60)", async () => {
    const { emulator, call } = open("gitlab");
    const image = await seed(emulator);
    const digest = image.layerDigests[0]!;
    const head = await call("HEAD", `/v2/app/blobs/${digest}`);
    expect(head.status).toBe(307);
    expect((await emulator.fetch(new Request(head.headers.get("location")!, { method: "HEAD" }))).status).toBe(403);
    const get = await call("GET", `/v2/app/blobs/${digest}`);
    const stored = await emulator.fetch(new Request(get.headers.get("location")!));
    expect(digestOf(new Uint8Array(await stored.arrayBuffer()))).toBe(digest);
  });

  it("resolves an absent sha256-<hex> tag to the manifest sha256:<hex> (registry-quirks row 42)", async () => {
    const { emulator, call } = open("gitlab");
    const image = await seed(emulator);
    const answer = await call("GET", `/v2/app/manifests/${image.digest.replace(":", "-")}`, {
      headers: { accept: image.mediaType },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("docker-content-digest")).toBe(image.digest);
  });
});

describe("gitea", () => {
  it("refuses a PATCH without Content-Range after the first write with 400 (registry-quirks row 44)", async () => {
    const { call } = open("gitea");
    const { location } = await session(call);
    const first = await call("PATCH", location, { body: new Uint8Array(10) });
    expect(first.status).toBe(202);
    const second = await call("PATCH", first.headers.get("location")!, { body: new Uint8Array(10) });
    expect(second.status).toBe(400);
    expect(await errorCodeOf(second)).toBe("BLOB_UPLOAD_INVALID");
  });

  it("answers a token request with the token alone, without expires_in (registry-quirks row 45)", async () => {
    const { call } = open("gitea", { authRequired: true, anonymousPull: true });
    const token = (await (await call("GET", "/oauth2/token?scope=repository:app:pull")).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(token)).toEqual(["token"]);
  });
});

describe("artifactory", () => {
  it("answers a monolithic PUT after the POST 404 BLOB_UNKNOWN, and takes PATCH then PUT (registry-quirks row 46)", async () => {
    const { call } = open("artifactory");
    const body = new Uint8Array(1000).fill(3);
    const { location } = await session(call);
    // In-process requests carry no Content-Length of their own; HTTP clients send it with a byte body.
    const refused = await call("PUT", `${location}&digest=${digestOf(body)}`, {
      body,
      headers: { "content-length": String(body.byteLength) },
    });
    expect(refused.status).toBe(404);
    expect(await errorCodeOf(refused)).toBe("BLOB_UNKNOWN");
    const patched = await patch(call, location, body, 0);
    expect(patched.status).toBe(202);
    expect((await call("PUT", `${patched.headers.get("location")!}&digest=${digestOf(body)}`)).status).toBe(201);
  });
});

describe("nexus", () => {
  it("answers a manifest PUT without Content-Length 411 (registry-quirks row 48)", async () => {
    const { emulator, call } = open("nexus");
    const image = await seed(emulator);
    const bytes = new Uint8Array(
      await (
        await call("GET", `/v2/app/manifests/${image.digest}`, { headers: { accept: image.mediaType } })
      ).arrayBuffer(),
    );
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const answer = await call("PUT", "/v2/app/manifests/v2", {
      body: chunked,
      headers: { "content-type": image.mediaType },
    });
    expect(answer.status).toBe(411);
    const sized = { "content-type": image.mediaType, "content-length": String(bytes.byteLength) };
    expect((await call("PUT", "/v2/app/manifests/v2", { body: bytes, headers: sized })).status).toBe(201);
  });
});

describe("quay", () => {
  it("opens a session with Range bytes=0--1 (registry-quirks row 30) and pages tags by 50 (row 31)", async () => {
    const { emulator, call } = open("quay");
    const { response } = await session(call);
    expect(response.headers.get("range")).toBe("bytes=0--1");
    await seed(
      emulator,
      "app",
      Array.from({ length: 51 }, (_, index) => `t${String(index).padStart(2, "0")}`),
    );
    const page = (await (await call("GET", "/v2/app/tags/list")).json()) as { tags: string[] };
    expect(page.tags).toHaveLength(50);
  });

  it("gzips a blob GET that accepts gzip, with the encoded Content-Length (registry-quirks rows 34, 61)", async () => {
    const { emulator, call } = open("quay");
    const layer = new TextEncoder().encode("compressible ".repeat(1000));
    const digest = await emulator.seedBlob("app", layer);
    const answer = await call("GET", `/v2/app/blobs/${digest}`, { headers: { "accept-encoding": "gzip" } });
    expect(answer.headers.get("content-encoding")).toBe("gzip");
    expect(Number(answer.headers.get("content-length"))).toBeLessThan(layer.byteLength);
    const plain = await call("GET", `/v2/app/blobs/${digest}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.has("content-encoding")).toBe(false);
  });
});

describe("zot", () => {
  it("ignores Range on a blob GET and answers 200 with the whole blob (registry-quirks row 51)", async () => {
    const { emulator, call } = open("zot");
    const digest = await emulator.seedBlob("app", new Uint8Array(1000).fill(9));
    const answer = await call("GET", `/v2/app/blobs/${digest}`, { headers: { range: "bytes=100-" } });
    expect(answer.status).toBe(200);
    expect((await answer.arrayBuffer()).byteLength).toBe(1000);
  });
});

describe("distribution", () => {
  it("refuses DELETE by tag with 400 DIGEST_INVALID (registry-quirks row 53) and has no referrers API (row 54)", async () => {
    const { emulator, call } = open("distribution");
    const image = await seed(emulator);
    const byTag = await call("DELETE", "/v2/app/manifests/v1");
    expect(byTag.status).toBe(400);
    expect(await errorCodeOf(byTag)).toBe("DIGEST_INVALID");
    const referrers = await call("GET", `/v2/app/referrers/${image.digest}`);
    expect(referrers.status).toBe(404);
    expect(await referrers.text()).toBe("404 page not found\n");
  });
});
