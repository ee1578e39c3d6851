/**
 * A table of hostile or broken registry answers, served by a real loopback server: each must end in the typed error
 * its case names, with the message or reason it names (never a hang, a crash, a SyntaxError or undici's raw
 * "TypeError: fetch failed"), within a few seconds.
 */
import { createServer, ServerResponse, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError } from "../../../src/core/errors/authentication-error";
import {
  AcrkitError,
  BasicCredential,
  ContainerRegistryClient,
  DigestValidationError,
  MalformedResponseError,
  NetworkError,
  RegistryError,
  UploadInterruptedError,
} from "../../../src/platform/node/index";
import { FaultReport, type ErrorClass } from "../../support/faults/report";
import { readAll, sha256 } from "../../support/faults/setup";

type Handler = (req: IncomingMessage, res: ServerResponse, origin: string) => void;
type Operation = (client: ContainerRegistryClient) => Promise<unknown>;

/** A case that takes longer than this hangs: the suite fails it instead of waiting (each should end in about 2 s). */
const HANG_BOUND_MS = 8_000;
/**
 * The timeout of the cases whose body never ends: long enough that the size cap, not the whole-body timeout, ends
 * them on a loaded machine too (reading 16 MiB can take longer than 500 ms there).
 */
const ENDLESS_TIMEOUT_MS = 5_000;
const CONTENT = new TextEncoder().encode("hello blob");
const DIGEST = sha256(CONTENT);
const MANIFEST = new TextEncoder().encode(
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}',
);
const MANIFEST_DIGEST = sha256(MANIFEST);
const report = new FaultReport("hostile-server");
const sockets = new Set<import("node:net").Socket>();
let server: Server;
let origin: string;
let current: Handler = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    req.resume();
    current(req, res, origin);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  report.write();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

// Operations under test.
const props: Operation = (client) => client.getRepositoryProperties("hostile/repo");
const manifest: Operation = (client) => client.getManifest("hostile/repo", "v1");
const manifestByDigest: Operation = (client) => client.getManifest("hostile/repo", MANIFEST_DIGEST);
const download: Operation = async (client) => readAll((await client.downloadBlob("hostile/repo", DIGEST)).body);
const exists: Operation = (client) => client.blobExists("hostile/repo", DIGEST);
// Few resumes: each waits a growing backoff, and these servers never get better.
const upload: Operation = (client) =>
  client.uploadBlob("hostile/repo", new Uint8Array(3000), { chunkSize: 1000, maxResumes: 3 });
const uploadSmall: Operation = (client) => client.uploadBlob("hostile/repo", CONTENT, { maxResumes: 3 });
const twoTagPages: Operation = async (client) => {
  let pages = 0;
  for await (const _ of client.listTagProperties("hostile/repo").byPage({ maxPageSize: 1 })) if (++pages === 2) break;
};
const deleteBlob: Operation = (client) => client.deleteBlob("hostile/repo", DIGEST);

// Building blocks of hostile answers.
const send =
  (status: number, headers: Record<string, string | number>, body?: string | Uint8Array): Handler =>
  (_req, res) => {
    const length = body === undefined ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
    res.writeHead(status, { "content-length": length, ...headers });
    res.end(body);
  };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  send(status, { "content-type": "application/json", ...headers }, JSON.stringify(body));
const html = (status: number) =>
  send(status, { "content-type": "text/html" }, "<html><body><h1>Bad Gateway</h1></body></html>");
const raw =
  (text: string): Handler =>
  (req) => {
    req.socket.end(text);
  };
const destroy: Handler = (req) => req.socket.destroy();
const silent: Handler = () => undefined;
const endless =
  (headers: Record<string, string | number> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once("drain", pump);
    };
    res.write("{");
    pump();
  };
const slowloris =
  (everyMs: number, headers: Record<string, string | number> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(" ")), everyMs);
    res.on("close", () => clearInterval(timer));
  };
/** Routes by method and path; anything else gets 404. */
const route =
  (routes: Array<[string, RegExp, Handler]>): Handler =>
  (req, res, base) => {
    const found = routes.find(([method, path]) => method === req.method && path.test(req.url ?? ""));
    if (found) found[2](req, res, base);
    else send(404, { "content-type": "application/json" }, '{"errors":[{"code":"NOT_FOUND"}]}')(req, res, base);
  };
const uploadStart: Handler = (_req, res) =>
  send(202, { location: "/v2/hostile/repo/blobs/uploads/abc?_state=1", range: "0-0" })(_req, res, origin);
const patchOk: Handler = (_req, res) =>
  send(202, { location: "/v2/hostile/repo/blobs/uploads/abc?_state=2", range: "0-999" })(_req, res, origin);
const challenge =
  (realm: string): Handler =>
  (req, res, base) => {
    if (req.headers.authorization) return json(200, { imageName: "hostile/repo" })(req, res, base);
    send(401, { "www-authenticate": `Bearer realm="${realm.replace("{origin}", base)}",service="hostile"` }, "")(
      req,
      res,
      base,
    );
  };
const tokenThen = (token: Handler): Handler =>
  route([
    ["GET", /^\/oauth2\/token|^\/token/, token],
    ["GET", /^\/acr\/v1\//, challenge("{origin}/token")],
  ]);

interface Case {
  name: string;
  operation: Operation;
  handler: Handler;
  /** The client authenticates with a password (default: anonymous). */
  basic?: boolean;
  /** The class of the error the case must end in. */
  expected: ErrorClass;
  /** What its message must say (a TypeError or RangeError must be one of acrkit's own, not undici's "fetch failed"). */
  message?: RegExp;
  /** The NetworkError's or UploadInterruptedError's reason. */
  reason?: string;
  /** The client's timeout, when not 500 ms. */
  timeout?: number;
}

const CASES: Case[] = [
  // Wrong statuses and bodies on metadata.
  {
    name: "500 with a plain-text body",
    operation: props,
    handler: send(500, { "content-type": "text/plain" }, "oops"),
    expected: RegistryError,
    message: /failed with 500 \(oops\)/,
  },
  {
    name: "502 HTML page from a proxy",
    operation: props,
    handler: html(502),
    expected: RegistryError,
    message: /failed with 502 \(Bad Gateway\)/,
  },
  {
    name: "418 teapot",
    operation: props,
    handler: send(418, {}, ""),
    expected: RegistryError,
    message: /failed with 418$/,
  },
  {
    name: "200 with a non-JSON body",
    operation: props,
    handler: send(200, { "content-type": "application/json" }, "hello"),
    expected: MalformedResponseError,
    message: /not a JSON object/,
  },
  {
    name: "200 with a JSON array",
    operation: props,
    handler: json(200, [1, 2, 3]),
    expected: MalformedResponseError,
    message: /not a JSON object/,
  },
  {
    name: "200 with JSON null",
    operation: props,
    handler: send(200, { "content-type": "application/json" }, "null"),
    expected: MalformedResponseError,
    message: /not a JSON object/,
  },
  {
    name: "200 with an empty body",
    operation: props,
    handler: send(200, {}, ""),
    expected: MalformedResponseError,
    message: /not a JSON object/,
  },
  {
    name: "200 with a JSON string",
    operation: props,
    handler: send(200, { "content-type": "application/json" }, '"repo"'),
    expected: MalformedResponseError,
    message: /not a JSON object/,
  },
  {
    name: "200 with an endless JSON body",
    operation: props,
    handler: endless(),
    expected: MalformedResponseError,
    message: /a JSON body over 16777216 bytes/,
    timeout: ENDLESS_TIMEOUT_MS,
  },
  {
    name: "200 with a slowloris body",
    operation: props,
    handler: slowloris(100),
    expected: NetworkError,
    reason: "timeout",
  },
  { name: "headers never sent", operation: props, handler: silent, expected: NetworkError, reason: "timeout" },
  {
    name: "connection closed at once",
    operation: props,
    handler: destroy,
    expected: NetworkError,
    reason: "connection",
  },
  {
    name: "a non-HTTP answer",
    operation: props,
    handler: raw("HELLO THERE\r\n\r\n"),
    expected: NetworkError,
    reason: "connection",
  },
  {
    name: "a negative Content-Length",
    operation: props,
    handler: raw("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n{}"),
    expected: NetworkError,
    reason: "connection",
  },
  {
    name: "a huge Content-Length and a short body",
    operation: props,
    handler: raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}"),
    expected: NetworkError,
    reason: "connection",
  },
  {
    name: "two conflicting Content-Lengths",
    operation: props,
    handler: raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 7\r\n\r\n{}"),
    expected: NetworkError,
    reason: "connection",
  },
  {
    name: "a 100 kB header",
    operation: props,
    handler: send(200, { "x-junk": "a".repeat(100_000) }, "{}"),
    expected: NetworkError,
    reason: "connection",
  },
  {
    name: "10 000 headers",
    operation: props,
    handler: raw(
      `HTTP/1.1 200 OK\r\n${Array.from({ length: 10_000 }, (_, index) => `X-${index}: y\r\n`).join("")}Content-Length: 2\r\n\r\n{}`,
    ),
    expected: NetworkError,
    reason: "connection",
  },
  {
    name: "an error body of 10 MB",
    operation: props,
    handler: send(
      400,
      { "content-type": "application/json" },
      `{"errors":[${'{"code":"X"},'.repeat(800_000)}{"code":"Y"}]}`,
    ),
    expected: RegistryError,
    message: /failed with 400 \(\{"errors":\[\{"code":"X"\}/,
  },
  {
    name: "an error body with an endless stream",
    operation: props,
    handler: (req, res, base) =>
      endless()(
        req,
        Object.assign(res, {
          writeHead: (_status: number, headers: object) =>
            ServerResponse.prototype.writeHead.call(res, 400, headers as never),
        }),
        base,
      ),
    expected: RegistryError,
    message: /failed with 400/,
    timeout: ENDLESS_TIMEOUT_MS,
  },
  {
    name: "an error body that is a JSON bomb of nesting",
    operation: props,
    handler: send(400, { "content-type": "application/json" }, `${"[".repeat(100_000)}${"]".repeat(100_000)}`),
    expected: RegistryError,
    message: /failed with 400 \(\[\[\[/,
  },
  {
    name: "503 with a garbage Retry-After",
    operation: props,
    handler: send(503, { "retry-after": "whenever" }, ""),
    expected: RegistryError,
    message: /failed with 503$/,
  },
  {
    name: "429 with Retry-After of a day",
    operation: props,
    handler: send(429, { "retry-after": "86400" }, ""),
    expected: RegistryError,
    message: /failed with 429$/,
  },
  {
    name: "a redirect loop on a metadata call",
    operation: props,
    handler: (_req, res, base) => send(302, { location: `${base}/acr/v1/hostile/repo` }, "")(_req, res, base),
    expected: RegistryError,
    message: /refused more than 5 redirects/,
  },
  {
    name: "a redirect to an unreachable host",
    operation: props,
    handler: send(307, { location: "http://127.0.0.1:1/acr/v1/x" }, ""),
    expected: NetworkError,
    reason: "connection",
  },
  // Authentication.
  {
    name: "401 without a challenge",
    operation: props,
    handler: send(401, {}, ""),
    expected: AuthenticationError,
    message: /the registry requires a credential \(401\)/,
  },
  {
    name: "401 with a garbled challenge",
    operation: props,
    handler: send(401, { "www-authenticate": "Bearer ,,,=== realm" }, ""),
    basic: true,
    expected: AuthenticationError,
    message: /the registry requires a credential \(401\)/,
  },
  {
    name: "a token realm on another host",
    operation: props,
    handler: challenge("http://127.0.0.2:9/token"),
    basic: true,
    expected: AuthenticationError,
    message: /token realm to another host \(127\.0\.0\.2:9\)/,
  },
  {
    name: "a token realm with a javascript: URL",
    operation: props,
    handler: challenge("javascript:alert(1)"),
    basic: true,
    expected: AuthenticationError,
    message: /unsupported scheme: javascript:/,
  },
  {
    name: "a token realm that is not a URL",
    operation: props,
    handler: challenge("http://[::1"),
    basic: true,
    expected: AuthenticationError,
    message: /an invalid realm/,
  },
  {
    name: "an invalid JSON token response",
    operation: props,
    handler: tokenThen(send(200, { "content-type": "application/json" }, "{not json")),
    basic: true,
    expected: AuthenticationError,
    message: /not a token response/,
  },
  {
    name: "a token response without a token",
    operation: props,
    handler: tokenThen(json(200, { expires_in: 60 })),
    basic: true,
    expected: AuthenticationError,
    message: /has no access_token/,
  },
  {
    name: "a token response whose token is a number",
    operation: props,
    handler: tokenThen(json(200, { token: 12345 })),
    basic: true,
    expected: AuthenticationError,
    message: /has no access_token/,
  },
  {
    name: "an endless token response",
    operation: props,
    handler: tokenThen(endless()),
    basic: true,
    expected: AuthenticationError,
    message: /not a token response/,
    timeout: ENDLESS_TIMEOUT_MS,
  },
  {
    name: "a slowloris token response",
    operation: props,
    handler: tokenThen(slowloris(100)),
    basic: true,
    expected: NetworkError,
    reason: "timeout",
  },
  {
    name: "a token endpoint answering 500",
    operation: props,
    handler: tokenThen(send(500, {}, "")),
    basic: true,
    expected: RegistryError,
    message: /\/token\?.* failed with 500$/,
  },
  {
    name: "a token that is refused again",
    operation: props,
    handler: route([
      ["GET", /^\/token/, json(200, { token: "t" })],
      [
        "GET",
        /^\/acr\/v1\//,
        (req, res) =>
          send(401, { "www-authenticate": `Bearer realm="${origin}/token",service="x"` }, "")(req, res, origin),
      ],
    ]),
    basic: true,
    expected: AuthenticationError,
    message: /the registry refused the credential \(401\)/,
  },
  // Manifests.
  {
    name: "a manifest body that never ends",
    operation: manifest,
    handler: endless(),
    expected: RangeError,
    message: /^The manifest at .* is over the 4194304-byte limit$/,
    timeout: ENDLESS_TIMEOUT_MS,
  },
  {
    name: "a manifest Content-Length of 10 GB",
    operation: manifest,
    handler: raw("HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n{}"),
    expected: RangeError,
    message: /^The manifest at .* is over the 4194304-byte limit$/,
  },
  {
    name: "a slowloris manifest",
    operation: manifest,
    handler: slowloris(100),
    expected: NetworkError,
    reason: "timeout",
  },
  {
    name: "a manifest that is not JSON",
    operation: manifest,
    handler: send(200, {}, "<html>"),
    expected: TypeError,
    message: /^The manifest is not valid UTF-8 JSON/,
  },
  {
    name: "a manifest that is a JSON array",
    operation: manifest,
    handler: send(200, {}, "[]"),
    expected: TypeError,
    message: /^The manifest is JSON but not a JSON object$/,
  },
  {
    name: "a manifest that is not UTF-8",
    operation: manifest,
    handler: send(200, {}, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
    expected: TypeError,
    message: /^The manifest is not valid UTF-8 JSON/,
  },
  {
    name: "a manifest with a lying Docker-Content-Digest",
    operation: manifest,
    handler: send(200, { "docker-content-digest": DIGEST }, MANIFEST),
    expected: DigestValidationError,
    message: /The registry says the manifest is sha256:/,
  },
  {
    name: "other content for a manifest digest",
    operation: manifestByDigest,
    handler: send(200, {}, '{"schemaVersion":2}'),
    expected: DigestValidationError,
    message: /The manifest received for sha256:\w+ has digest/,
  },
  {
    name: "a manifest 404 as an HTML page",
    operation: manifest,
    handler: html(404),
    expected: RegistryError,
    message: /failed with 404/,
  },
  // Blob downloads.
  {
    name: "a blob without Content-Length and with other bytes",
    operation: download,
    handler: (_req, res) => {
      res.writeHead(200, { "transfer-encoding": "chunked" });
      res.end("other bytes");
    },
    expected: DigestValidationError,
    message: /The downloaded content of sha256:\w+ has digest/,
  },
  {
    name: "a blob with the wrong bytes",
    operation: download,
    handler: send(200, {}, "hello blub"),
    expected: DigestValidationError,
    message: /The downloaded content of sha256:\w+ has digest/,
  },
  {
    // A resume answered 200 is read again from byte 0, skipping what was delivered (registry-quirks row 51,
    // test/node/core/content/download-coping.test.ts): other bytes in that answer fail the digest.
    name: "a blob whose resume ignores Range and sends other bytes",
    operation: download,
    handler: (req, res) =>
      req.headers.range
        ? send(200, {}, "XXXXXXXXXX")(req, res, origin)
        : raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")(req, res, origin),
    expected: DigestValidationError,
    message: /^The downloaded content of sha256:[0-9a-f]{64} has digest sha256:/,
  },
  {
    name: "a blob resume at the wrong offset",
    operation: download,
    handler: (req, res) =>
      req.headers.range
        ? send(206, { "content-range": "bytes 0-9/10" }, CONTENT)(req, res, origin)
        : raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")(req, res, origin),
    expected: RegistryError,
    message: /: the registry sent /,
  },
  {
    name: "a blob 206 with a garbage Content-Range",
    operation: download,
    handler: send(206, { "content-range": "bytes banana" }, CONTENT),
    expected: RegistryError,
    message: /: the registry sent /,
  },
  {
    name: "a blob redirect to ftp:",
    operation: download,
    handler: send(307, { location: "ftp://127.0.0.1/blob" }, ""),
    expected: RegistryError,
    message: /refused a redirect/,
  },
  {
    name: "endless blob redirects",
    operation: download,
    handler: (req, res) =>
      send(307, { location: `${origin}/v2/hostile/repo/blobs/${DIGEST}?n=${Math.random()}` }, "")(req, res, origin),
    expected: RegistryError,
    message: /refused more than 5 redirects/,
  },
  {
    name: "a blob redirect without Location",
    operation: download,
    handler: send(307, {}, ""),
    expected: RegistryError,
    message: /refused a redirect/,
  },
  {
    // Every answer, the resumes' too (a 200 to a Range is read again from byte 0), stalls: the resumes run out.
    name: "a blob body that stalls for ever",
    operation: download,
    handler: (_req, res) => {
      res.writeHead(200, { "content-length": 10 });
      res.write("hel");
    },
    expected: NetworkError,
    reason: "timeout",
  },
  {
    name: "a blob slowloris slower than the timeout",
    operation: download,
    handler: slowloris(700, { "content-length": 1_000_000 }),
    expected: NetworkError,
    reason: "timeout",
  },
  {
    name: "a blob longer than its Content-Length via resume",
    operation: download,
    handler: (req, res) =>
      req.headers.range
        ? send(206, { "content-range": "bytes 5-14/15" }, "XXXXXXXXXX")(req, res, origin)
        : raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")(req, res, origin),
    expected: DigestValidationError,
    message: /The registry sent more than the 10 bytes/,
  },
  // Existence checks and deletes.
  {
    name: "HEAD answered 500",
    operation: exists,
    handler: send(500, {}, ""),
    expected: RegistryError,
    message: /^HEAD .* failed with 500$/,
  },
  {
    name: "HEAD answered 403",
    operation: exists,
    handler: send(403, {}, ""),
    expected: RegistryError,
    message: /^HEAD .* failed with 403$/,
  },
  {
    name: "DELETE answered 500 with HTML",
    operation: deleteBlob,
    handler: html(500),
    expected: RegistryError,
    message: /^DELETE .* failed with 500/,
  },
  // Uploads.
  {
    name: "an upload start without Location",
    operation: upload,
    handler: route([["POST", /uploads\/$/, send(202, {}, "")]]),
    expected: RegistryError,
    message: /^POST .*answered 202 without a Location/,
  },
  {
    name: "an upload Location on another host",
    operation: upload,
    handler: route([["POST", /uploads\/$/, send(202, { location: "http://127.0.0.2:9/v2/x/blobs/uploads/1" }, "")]]),
    expected: RegistryError,
    message: /refused an upload Location on another origin/,
  },
  {
    name: "an upload start answered 200",
    operation: upload,
    handler: route([["POST", /uploads\/$/, send(200, {}, "")]]),
    expected: RegistryError,
    message: /^POST .* failed with 200$/,
  },
  {
    name: "a PATCH answer without Location",
    operation: upload,
    handler: route([
      ["POST", /uploads\/$/, uploadStart],
      ["PATCH", /uploads\/abc/, send(202, {}, "")],
    ]),
    expected: RegistryError,
    message: /^PATCH .*answered 202 without a Location/,
  },
  {
    name: "an upload status without Range",
    operation: upload,
    handler: route([
      ["POST", /uploads\/$/, uploadStart],
      ["PATCH", /uploads\/abc/, send(500, {}, "")],
      ["GET", /uploads\/abc/, send(204, { location: "/v2/hostile/repo/blobs/uploads/abc" }, "")],
    ]),
    expected: RegistryError,
    message: /the upload status without a valid Range/,
  },
  {
    name: "an upload status beyond what was sent",
    operation: upload,
    handler: route([
      ["POST", /uploads\/$/, uploadStart],
      ["PATCH", /uploads\/abc/, send(500, {}, "")],
      ["GET", /uploads\/abc/, send(204, { location: "/v2/hostile/repo/blobs/uploads/abc", range: "0-999999" }, "")],
    ]),
    expected: UploadInterruptedError,
    reason: "session-lost",
  },
  {
    name: "a completion digest that differs",
    operation: upload,
    handler: route([
      ["POST", /uploads\/$/, uploadStart],
      ["PATCH", /uploads\/abc/, patchOk],
      ["PUT", /uploads\/abc/, send(201, { "docker-content-digest": DIGEST }, "")],
    ]),
    expected: DigestValidationError,
    message: /The registry computed sha256:\w+ for the uploaded blob/,
  },
  {
    name: "a monolithic upload answered 500 for ever",
    operation: uploadSmall,
    handler: route([
      ["HEAD", /blobs/, send(404, {}, "")],
      ["POST", /uploads\/$/, uploadStart],
      ["PUT", /uploads\/abc/, send(500, {}, "")],
      ["PATCH", /uploads\/abc/, send(500, {}, "")],
      ["GET", /uploads\/abc/, send(204, { location: "/v2/hostile/repo/blobs/uploads/abc", range: "0-0" }, "")],
    ]),
    expected: RegistryError,
    message: / failed with 500$/,
  },
  // Paging.
  {
    name: "a next page on another host",
    operation: twoTagPages,
    handler: json(
      200,
      { registry: "x", imageName: "hostile/repo", tags: [] },
      { link: '<http://127.0.0.2:9/acr/v1/hostile/repo/_tags?last=a>; rel="next"' },
    ),
    expected: TypeError,
    message: /^Refusing a paging link to another origin \(http:\/\/127\.0\.0\.2:9\)$/,
  },
  {
    name: "a tag page that is not JSON",
    operation: twoTagPages,
    handler: send(200, {}, "tags!"),
    expected: MalformedResponseError,
    message: /not a JSON object/,
  },
];

describe("hostile server answers", () => {
  it("has at least 50 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  it("names an outcome for every case: a class, and a message or reason that pins it", () => {
    expect(CASES.filter((entry) => !entry.message && !entry.reason).map((entry) => entry.name)).toEqual([]);
  });

  it.each(CASES.map((entry) => [entry.name, entry] as const))(
    "%s: the expected typed error within the timeout",
    async (_name, entry) => {
      current = entry.handler;
      const client = new ContainerRegistryClient(
        origin,
        entry.basic ? new BasicCredential("user", "hostile-case-password") : undefined,
        {
          timeout: entry.timeout ?? 500,
          retry: { limit: 1, backoffLimitMs: 50, maxElapsedMs: 2_000 },
        },
      );
      const outcome = await Promise.race([
        entry.operation(client).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        ),
        new Promise<{ hung: true }>((resolve) => setTimeout(() => resolve({ hung: true }), HANG_BOUND_MS)),
      ]);
      expect(outcome).not.toHaveProperty("hung");
      expect(outcome).toHaveProperty("error");
      const error = (outcome as { error: unknown }).error;
      report.injected("hostile answer (loopback server)");
      report.handled(error, entry.expected);
      // A TypeError or RangeError passes only with acrkit's own message; anything else must be one of acrkit's errors.
      if (!(error instanceof TypeError || error instanceof RangeError)) expect(error).toBeInstanceOf(AcrkitError);
      expect(error).not.toBeInstanceOf(SyntaxError);
      expect((error as Error).message).not.toMatch(/^fetch failed$/);
      if (entry.message) expect((error as Error).message).toMatch(entry.message);
      if (entry.reason) expect((error as { reason?: string }).reason).toBe(entry.reason);
    },
  );
});
