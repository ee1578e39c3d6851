/**
 * Seeded fuzzing of the emulator's listeners: thousands of malformed requests (methods, targets, Hosts, headers,
 * framings, bodies, cut-off bodies), every complete one answered with a 4xx/5xx other than a server fault, then a
 * normal push and pull still work and the emulator reported no handler error.
 */
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../support/emulator";
import { basic, sha256 } from "./helpers";
import { RawConnection } from "./raw-http";

/** Fixed so a run is reproducible; EMULATOR_FUZZ_SEED explores other sequences. */
const SEED = Number(process.env.EMULATOR_FUZZ_SEED ?? 0x5eed_2026);
const REQUESTS = 3000;
const CONCURRENCY = 16;

/** mulberry32: a small seeded PRNG, so a failing case can be replayed by its index. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FuzzCase {
  /** The request bytes, as latin1 text so any byte can appear. */
  bytes: string;
  /** False when the request is deliberately incomplete: the client then goes away without waiting. */
  complete: boolean;
  storage: boolean;
}

function generator(next: () => number, known: { digests: string[]; uploads: string[]; auth: string }) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const junk = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(33 + Math.floor(next() * 94))).join("");
  const hex = (length: number) => Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const names = [
    "app",
    "app",
    "app",
    "app",
    "team/app",
    "team/app",
    "A",
    "../x",
    "%2e%2e",
    "a//b",
    "x".repeat(300),
    "\xe9",
    "app%2Fx",
    "_x",
    junk(6),
  ];
  const references = ["v1", "latest", ...known.digests, "sha256:zz", `sha256:${"0".repeat(64)}`, junk(10), "%ZZ", ""];
  const methods = [
    "GET",
    "GET",
    "GET",
    "HEAD",
    "PUT",
    "POST",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "PROPFIND",
    "PURGE",
    "BREW",
    "get",
    "M-SEARCH",
    "",
  ];
  const paths = () => {
    const name = pick(names);
    const reference = pick(references);
    return pick([
      "/v2/",
      `/v2/_catalog?n=${pick(["2", "-1", "abc", "99999999999999999999"])}&last=${junk(3)}`,
      `/v2/${name}/tags/list?n=${pick(["1", "x"])}&last=${pick(["", junk(4)])}`,
      `/v2/${name}/manifests/${reference}`,
      `/v2/${name}/blobs/${reference}`,
      `/v2/${name}/blobs/uploads/`,
      `/v2/${name}/blobs/uploads/?digest=${reference}&mount=${reference}&from=${pick(names)}`,
      `/v2/${name}/blobs/uploads/${pick([uuid(), junk(8)])}?_state=${junk(5)}&digest=${reference}`,
      `${pick(known.uploads)}${pick(["", `&digest=${reference}`])}`,
      pick(known.uploads).replace(/\?.*/, `?digest=${reference}`),
      `/v2/${name}/referrers/${reference}?artifactType=${junk(3)}`,
      `/acr/v1/${name}/_tags/${reference}`,
      `/acr/v1/${name}/_manifests/${reference}?orderby=${pick(["timedesc", "timeasc", junk(3)])}`,
      `/acr/v1/_catalog?n=${pick(["1", "0"])}`,
      `/oauth2/token?service=${pick(["127.0.0.1", junk(4)])}&scope=${pick(["repository:app:pull", junk(9), "registry:catalog:*"])}`,
      "/oauth2/exchange",
      `/blobs/${junk(8)}?sig=${junk(4)}`,
      "*",
      "//evil.example/v2/",
      "http://127.0.0.1/v2/",
      "ftp://x/",
      `/${junk(40)}`,
      `/v2/${"a/".repeat(2000)}tags/list`,
      "/v2/%",
      "/v2/\x7f\xff",
    ]);
  };
  const hosts = [
    "Host: 127.0.0.1",
    "Host: 127.0.0.1",
    "Host: 127.0.0.1",
    "Host: 127.0.0.1",
    "Host: x:99999",
    "Host: a b",
    "Host: [::",
    "Host: [::1]:80",
    "Host: ",
    "Host: localhost:0",
    "Host: \xfc",
    "Host: a@b",
    "Host: 127.0.0.1\r\nHost: 127.0.0.2",
    "",
  ];
  const headerPool = () => [
    `Content-Range: ${pick(["0-9", "bytes 0-3/4", "abc", "5-1", "99999999999999999999-1", "0-0, 1-1", "-"])}`,
    `Range: ${pick(["bytes=0-3", "bytes=zz", "bytes=-0", "bytes=5-1", "bytes=0-1,2-3", "items=1-2", "bytes=99999999999999999999-"])}`,
    `Content-Type: ${pick(["application/vnd.oci.image.manifest.v1+json", "application/json", "application/x-www-form-urlencoded", junk(8)])}`,
    `Accept: ${pick(["*/*", "application/vnd.oci.image.index.v1+json", junk(6)])}`,
    `Origin: ${pick(["http://localhost:5173", "null", junk(5)])}`,
    "Access-Control-Request-Method: PUT",
    `Expect: ${pick(["100-continue", "teapot"])}`,
    "Connection: Upgrade\r\nUpgrade: websocket",
    `X-Junk: ${junk(20)}\xff\x80`,
    `X-Big: ${"b".repeat(pick([100, 9000, 20_000]))}`,
    "Authorization: Basic x\r\nAuthorization: Bearer y",
    `${junk(5)}: ${junk(5)}`,
  ];
  const descriptor = (digest: unknown, size: unknown = 10) => ({
    mediaType: pick(["application/vnd.oci.image.layer.v1.tar", 5, ""]),
    digest,
    size,
  });
  const manifests = [
    {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptor(known.digests[1]),
      layers: known.digests.map((d) => descriptor(d)),
    },
    {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [descriptor(known.digests[0]), descriptor("sha256:zz", -1), null],
    },
    { schemaVersion: 2, config: null, layers: "x", subject: { digest: 5 } },
    {
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: descriptor(known.digests[1], "big"),
      layers: [descriptor(known.digests[2], 1e300)],
    },
    { schemaVersion: 1, fsLayers: [{ blobSum: known.digests[0] }] },
    {
      schemaVersion: 2,
      manifests: [{ digest: known.digests[0], platform: { architecture: 7, os: null } }],
      annotations: { a: 1 },
    },
  ].map((manifest) => JSON.stringify(manifest));
  return (): FuzzCase => {
    // Well-formed cases (framing, Host, credential, API path) get past the parser and the router into the handlers.
    const wellFormed = chance(0.4);
    const method = wellFormed ? pick(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]) : pick(methods);
    const version = wellFormed
      ? "HTTP/1.1"
      : pick(["HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9"]);
    let path = paths();
    while (wellFormed && !/^\/(v2|acr|oauth2)\//.test(path)) path = paths();
    const lines = [`${method} ${path} ${version}`, wellFormed ? "Host: 127.0.0.1" : pick(hosts)];
    const credentials = [
      known.auth,
      known.auth,
      known.auth,
      known.auth,
      "Basic !!!",
      "Basic YWRtaW4=",
      "Bearer a.b.c",
      "Bearer ",
      "Negotiate x",
      junk(12),
      "",
    ];
    lines.push(`Authorization: ${wellFormed ? known.auth : pick(credentials)}`);
    for (const header of headerPool()) if (chance(0.15)) lines.push(header);
    const body = pick([
      "",
      "",
      "{}",
      '{"schemaVersion":2}',
      "grant_type=password&service=127.0.0.1",
      junk(Math.floor(next() * 3000)),
      ...manifests,
      '{"deleteEnabled":"yes","writeEnabled":false}',
      "[1,2]",
      "\xff\xfe{}",
    ]);
    const framing = wellFormed
      ? "length"
      : pick(["none", "length", "length", "chunked", "bad-length", "bad-chunked", "short"]);
    let tail = "";
    let complete = true;
    if (framing === "length") {
      lines.push(`Content-Length: ${body.length}`);
      tail = body;
    } else if (framing === "chunked") {
      lines.push("Transfer-Encoding: chunked");
      tail = `${body.length > 0 ? `${body.length.toString(16)}\r\n${body}\r\n` : ""}0\r\n\r\n`;
    } else if (framing === "bad-length") {
      lines.push(`Content-Length: ${pick(["abc", "-1", "1.5", "99999999999999999999999", "5, 6"])}`);
    } else if (framing === "bad-chunked") {
      lines.push("Transfer-Encoding: chunked");
      tail = pick(["zz\r\n", "5\r\nab\r\n0\r\n\r\n", "-1\r\n"]);
    } else if (framing === "short") {
      lines.push(`Content-Length: ${body.length + 100}`);
      tail = body;
      complete = false;
    }
    const bytes = `${lines.filter((line) => line !== "").join("\r\n")}\r\n\r\n${tail}`;
    return { bytes, complete, storage: !wellFormed && chance(0.15) };
  };
}

describe("fuzzing the listeners", () => {
  it(
    `answers ${REQUESTS} malformed requests without a fault, then serves a normal push and pull`,
    { timeout: 60_000 },
    async () => {
      const errors: unknown[] = [];
      const started = await startEmulator({
        users: { admin: "secret" },
        redirectBlobs: true,
        cors: true,
        onError: (error) => errors.push(error),
      });
      const auth = basic("admin", "secret");
      try {
        const seeded = await started.emulator.seedImage({ repository: "app", tags: ["v1"] });
        const uploads: string[] = [];
        for (const repository of ["app", "team/app", "app", "fresh"]) {
          const opened = await fetch(`${started.url}/v2/${repository}/blobs/uploads/`, {
            method: "POST",
            headers: { authorization: auth },
          });
          uploads.push(opened.headers.get("location")!);
        }
        const known = { digests: [seeded.digest, seeded.configDigest, ...seeded.layerDigests], uploads, auth };
        const nextCase = generator(random(SEED), known);
        const cases = Array.from({ length: REQUESTS }, nextCase);
        const unanswered: string[] = [];
        const statuses = new Map<number, number>();
        let index = 0;
        const worker = async () => {
          while (index < cases.length) {
            const current = cases[index++]!;
            const connection = await RawConnection.open(current.storage ? started.server.storageUrl! : started.url);
            try {
              await connection.write(Buffer.from(current.bytes, "latin1"));
              if (!current.complete) continue;
              const answer = await connection.answer(5000, current.bytes.startsWith("HEAD "));
              if (!answer) unanswered.push(current.bytes.slice(0, 300));
              else statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            } finally {
              connection.destroy();
            }
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));

        if (process.env.EMULATOR_FUZZ_SEED) console.log(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
        expect(unanswered).toEqual([]);
        const answered = [...statuses.values()].reduce((sum, count) => sum + count, 0);
        expect(answered).toBe(cases.filter((fuzzCase) => fuzzCase.complete).length);
        expect(statuses.get(500)).toBeUndefined();
        for (const status of statuses.keys()) expect(status).toBeGreaterThanOrEqual(200);
        // The mix reaches the handlers, the router's refusals and the parser's alike.
        expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 202, 204, 400, 401, 404, 405, 501]));
        expect(started.emulator.requests.filter((entry) => entry.status === 500)).toEqual([]);
        expect(errors).toEqual([]);

        const call = (method: string, path: string, init: RequestInit = {}) =>
          fetch(new URL(path, started.url), {
            method,
            redirect: "manual",
            ...init,
            headers: { authorization: auth, ...init.headers },
          });
        const layer = new TextEncoder().encode("layer after the storm");
        const config = new TextEncoder().encode('{"architecture":"amd64","os":"linux"}');
        for (const blob of [layer, config]) {
          const location = (await call("POST", "/v2/calm/blobs/uploads/")).headers.get("location")!;
          expect((await call("PUT", `${location}&digest=${sha256(blob)}`, { body: blob })).status).toBe(201);
        }
        const manifest = JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: {
            mediaType: "application/vnd.oci.image.config.v1+json",
            digest: sha256(config),
            size: config.byteLength,
          },
          layers: [
            { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256(layer), size: layer.byteLength },
          ],
        });
        const contentType = { "content-type": "application/vnd.oci.image.manifest.v1+json" };
        expect((await call("PUT", "/v2/calm/manifests/v1", { body: manifest, headers: contentType })).status).toBe(201);
        const pulled = await call("GET", "/v2/calm/manifests/v1", { headers: { accept: contentType["content-type"] } });
        expect(await pulled.text()).toBe(manifest);
        const redirect = await call("GET", `/v2/calm/blobs/${sha256(layer)}`);
        expect(redirect.status).toBe(307);
        const bytes = await fetch(redirect.headers.get("location")!);
        expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(layer);
        expect(errors).toEqual([]);
      } finally {
        await started.close();
      }
    },
  );
});
