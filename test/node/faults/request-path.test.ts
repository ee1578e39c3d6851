/**
 * The request path of EVERY public operation (the client's methods, copyImage and the acrkit/node helpers) through
 * hostile loopback servers: headers that never come, a body that stalls or is reset mid-way, six redirects, a
 * redirect from https to http, a redirect to another origin, an endless 503, a server echoing the secrets, and aborts.
 *
 * Each case checks: no secret in anything the outcome shows (util.inspect with hidden fields, String, JSON, stack,
 * every field and cause) nor in any logger line; no Request, Response, Headers or third-party error in the cause
 * chain; the redirect policy (at most 5 hops, never https → http, Authorization only to the registry's origin);
 * stalls and resets end in a NetworkError ("timeout" / "connection") after exactly `limit + 1` attempts of an
 * idempotent request; an abort rejects with the signal's own reason.
 */
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AcrkitError,
  BasicCredential,
  ContainerRegistryClient,
  NetworkError,
  RegistryError,
  StaticTokenCredential,
  copyImage,
  downloadBlobToFile,
  pullToOciLayout,
  pushOciLayout,
  type RandomAccessTarget,
  type RegistryCredential,
  type RequestLogEntry,
} from "../../../src/platform/node/index";
import { sendJson, startHostileRegistry, type Behaviour, type HostileRegistry } from "../../support/hostile-registry";
import { scanForSecrets, unsafeCauses } from "../../support/secret-scan";
import { FaultReport } from "../../support/faults/report";
import { readAll, sha256 } from "../../support/faults/setup";

const RETRY_LIMIT = 1;
const TIMEOUT_MS = 300;
/** A case that takes longer than this hangs: the suite fails it instead of waiting. */
const CASE_DEADLINE_MS = 10_000;
/** An abort that takes longer than this to settle waited for something (the request timeout is 5 s in those cases). */
const ABORT_HANG_BOUND_MS = 2_500;
const AAD_TOKEN = "aad-request-path-secret-7c1e";
const SAS = "sasRequestPathSignature0d9f";
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);

const BLOB = new TextEncoder().encode("request path blob");

/** A random-access target in memory that grows with what is written. */
function memoryTarget(): RandomAccessTarget {
  let data = new Uint8Array(0);
  return {
    async write(offset, bytes) {
      if (offset + bytes.byteLength > data.byteLength) {
        const grown = new Uint8Array(offset + bytes.byteLength);
        grown.set(data);
        data = grown;
      }
      data.set(bytes, offset);
    },
    async read(offset, length) {
      return data.slice(offset, offset + length);
    },
  };
}
const BLOB_DIGEST = sha256(BLOB);
const CONFIG = new TextEncoder().encode("{}");
const MANIFEST = new TextEncoder().encode(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(CONFIG), size: CONFIG.byteLength },
    layers: [],
  }),
);
const MANIFEST_DIGEST = sha256(MANIFEST);
const report = new FaultReport("request-path");

let registry: HostileRegistry;
let tlsRegistry: HostileRegistry;
/** Another origin: redirects go there, and it records what arrives (it must never see Authorization or https → http). */
let other: Server;
let otherUrl: string;
const otherLog: Array<{ method: string; url: string; authorization?: string }> = [];
const otherSockets = new Set<Socket>();
let directory: string;
let layout: string;

beforeAll(async () => {
  registry = await startHostileRegistry({ label: "plain" });
  tlsRegistry = await startHostileRegistry({ label: "tls", tls: true });
  other = createServer((req, res) => {
    req.resume();
    otherLog.push({ method: req.method ?? "GET", url: req.url ?? "/", authorization: req.headers.authorization });
    // A storage service that quotes the signature it refuses, as Azure Storage does.
    const signature = new URL(req.url ?? "/", "http://x").searchParams.get("sig") ?? "(none)";
    const text = `<Error><Code>AuthenticationFailed</Code><Message>Signature ${signature} did not match for ${req.url}</Message></Error>`;
    res.writeHead(403, { "content-type": "application/xml", "content-length": Buffer.byteLength(text) }).end(text);
  });
  other.on("connection", (socket) => {
    otherSockets.add(socket);
    socket.on("close", () => otherSockets.delete(socket));
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  directory = mkdtempSync(join(tmpdir(), "acrkit-request-path-"));
  layout = join(directory, "layout");
  writeLayout(layout);
});
afterAll(async () => {
  report.write();
  await registry?.close();
  await tlsRegistry?.close();
  for (const socket of otherSockets) socket.destroy();
  await new Promise((resolve) => other?.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

/** An OCI layout with one image `v1` (a config, no layers), for pushOciLayout. */
function writeLayout(at: string): void {
  mkdirSync(join(at, "blobs", "sha256"), { recursive: true });
  writeFileSync(join(at, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(at, "blobs", "sha256", sha256(CONFIG).slice(7)), CONFIG);
  writeFileSync(join(at, "blobs", "sha256", MANIFEST_DIGEST.slice(7)), MANIFEST);
  const descriptor = {
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: MANIFEST_DIGEST,
    size: MANIFEST.byteLength,
    annotations: { "org.opencontainers.image.ref.name": "v1" },
  };
  writeFileSync(join(at, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [descriptor] }));
}

// ---------------------------------------------------------------------------------------------------------------
// Operations: every public method, with what it reads.

interface Operation {
  name: string;
  /** It reads a JSON or text response body (a stall or reset there is a NetworkError of that request). */
  readsBody: boolean;
  /** It downloads a blob, which resumes with Range after a broken body: its attempts are not `limit + 1`. */
  resumes?: boolean;
  run(client: ContainerRegistryClient, signal?: AbortSignal): Promise<unknown>;
}

async function drain<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

const REPO = "path/app";
const OPERATIONS: Operation[] = [
  { name: "listRepositoryNames", readsBody: true, run: (c, signal) => drain(c.listRepositoryNames({ signal })) },
  { name: "getRepositoryProperties", readsBody: true, run: (c, signal) => c.getRepositoryProperties(REPO, { signal }) },
  {
    name: "updateRepositoryProperties",
    readsBody: true,
    run: (c, signal) => c.updateRepositoryProperties(REPO, { canDelete: false }, { signal }),
  },
  { name: "deleteRepository", readsBody: false, run: (c, signal) => c.deleteRepository(REPO, { signal }) },
  {
    name: "listManifestProperties",
    readsBody: true,
    run: (c, signal) => drain(c.listManifestProperties(REPO, { signal })),
  },
  {
    name: "getManifestProperties",
    readsBody: true,
    run: (c, signal) => c.getManifestProperties(REPO, "v1", { signal }),
  },
  {
    name: "updateManifestProperties",
    readsBody: true,
    run: (c, signal) => c.updateManifestProperties(REPO, "v1", { canWrite: false }, { signal }),
  },
  { name: "listTagProperties", readsBody: true, run: (c, signal) => drain(c.listTagProperties(REPO, { signal })) },
  { name: "getTagProperties", readsBody: true, run: (c, signal) => c.getTagProperties(REPO, "v1", { signal }) },
  {
    name: "updateTagProperties",
    readsBody: true,
    run: (c, signal) => c.updateTagProperties(REPO, "v1", { canRead: false }, { signal }),
  },
  { name: "deleteTag", readsBody: false, run: (c, signal) => c.deleteTag(REPO, "v1", { signal }) },
  { name: "uploadBlob", readsBody: false, run: (c, signal) => c.uploadBlob(REPO, BLOB, { signal, maxResumes: 1 }) },
  {
    name: "downloadBlob",
    readsBody: true,
    resumes: true,
    run: async (c, signal) => readAll((await c.downloadBlob(REPO, BLOB_DIGEST, { signal, maxResumes: 1 })).body),
  },
  {
    name: "downloadBlobTo",
    readsBody: true,
    resumes: true,
    run: (c, signal) => c.downloadBlobTo(REPO, BLOB_DIGEST, memoryTarget(), { signal, maxResumes: 1 }),
  },
  { name: "deleteBlob", readsBody: false, run: (c, signal) => c.deleteBlob(REPO, BLOB_DIGEST, { signal }) },
  { name: "blobExists", readsBody: false, run: (c, signal) => c.blobExists(REPO, BLOB_DIGEST, { signal }) },
  { name: "setManifest", readsBody: false, run: (c, signal) => c.setManifest(REPO, MANIFEST, { tag: "v1", signal }) },
  { name: "pushManifest", readsBody: false, run: (c, signal) => c.pushManifest(REPO, MANIFEST, { signal }) },
  { name: "getManifest", readsBody: true, run: (c, signal) => c.getManifest(REPO, "v1", { signal }) },
  { name: "manifestExists", readsBody: false, run: (c, signal) => c.manifestExists(REPO, "v1", { signal }) },
  { name: "resolveDigest", readsBody: false, run: (c, signal) => c.resolveDigest(REPO, "v1", { signal }) },
  { name: "mountBlob", readsBody: false, run: (c, signal) => c.mountBlob(REPO, BLOB_DIGEST, "path/other", { signal }) },
  {
    name: "listReferrers",
    readsBody: true,
    run: (c, signal) => drain(c.listReferrers(REPO, MANIFEST_DIGEST, { signal })),
  },
  {
    name: "deleteManifest (by digest)",
    readsBody: false,
    run: (c, signal) => c.deleteManifest(REPO, MANIFEST_DIGEST, { signal }),
  },
  { name: "deleteManifest (by tag)", readsBody: false, run: (c, signal) => c.deleteManifest(REPO, "v1", { signal }) },
  {
    name: "copyImage",
    readsBody: true,
    run: (c, signal) =>
      copyImage(
        { client: c, repository: REPO, reference: "v1" },
        { client: c, repository: "path/copy", reference: "v1" },
        { signal },
      ),
  },
  {
    name: "downloadBlobToFile",
    readsBody: true,
    resumes: true,
    run: (c, signal) =>
      downloadBlobToFile(c, REPO, BLOB_DIGEST, join(directory, `blob-${Math.random()}`), { signal, maxResumes: 1 }),
  },
  {
    name: "pullToOciLayout",
    readsBody: true,
    run: (c, signal) => pullToOciLayout(c, REPO, "v1", join(directory, `pulled-${Math.random()}`), { signal }),
  },
  { name: "pushOciLayout", readsBody: false, run: (c, signal) => pushOciLayout(layout, c, REPO, "v1", { signal }) },
];

// ---------------------------------------------------------------------------------------------------------------
// Hostile behaviours (for requests that carry the registry's token: authentication itself works).

const stallHeaders: Behaviour = (req, _res, server) => {
  req.resume();
  server.faulted();
};

/**
 * A 200 that declares a body, sends its first bytes, then stalls (`then: "stall"`) or resets the connection. A blob
 * resume (Range) gets a correct 206 for the rest, which breaks the same way, so that only the fault ends a download.
 */
const brokenBody =
  (then: "stall" | "reset"): Behaviour =>
  (req, res, server) => {
    req.resume();
    const isBlob = /\/blobs\/sha256:/.test(req.url ?? "");
    const from = Number(/^bytes=(\d+)-/.exec(req.headers.range ?? "")?.[1] ?? 0);
    const headers: Record<string, string | number> = {
      "content-type": isBlob ? "application/octet-stream" : "application/json",
      "content-length": isBlob ? BLOB.byteLength - from : 4096,
      "docker-content-digest": isBlob ? BLOB_DIGEST : MANIFEST_DIGEST,
    };
    if (isBlob && from > 0) headers["content-range"] = `bytes ${from}-${BLOB.byteLength - 1}/${BLOB.byteLength}`;
    res.writeHead(isBlob && from > 0 ? 206 : 200, headers);
    if (req.method === "HEAD") return void res.end();
    res.write(isBlob ? BLOB.subarray(from, from + 5) : '{"repositories":["a","b",');
    server.faulted();
    if (then === "reset") setTimeout(() => req.socket.resetAndDestroy(), 20);
  };

/** Redirects every request to itself with `hop=n+1`, for `hops` hops; the request after them is answered 200. */
const redirectChain =
  (hops: number): Behaviour =>
  (req, res) => {
    req.resume();
    const url = new URL(req.url ?? "/", "http://x");
    const hop = Number(url.searchParams.get("hop") ?? 0);
    if (hop >= hops) return void sendJson(res, 200, {});
    url.searchParams.set("hop", String(hop + 1));
    res.writeHead(307, { location: `${url.pathname}${url.search}`, "content-length": 0 }).end();
  };

const toOtherOrigin: Behaviour = (req, res) => {
  req.resume();
  res
    .writeHead(307, {
      location: `${otherUrl}${req.url}${(req.url ?? "").includes("?") ? "&" : "?"}sv=2024&sig=${SAS}`,
      "content-length": 0,
    })
    .end();
};

const toPlainHttp: Behaviour = (req, res) => {
  req.resume();
  res.writeHead(307, { location: `${otherUrl}${req.url}`, "content-length": 0 }).end();
};

const endless503: Behaviour = (req, res) => {
  req.resume();
  sendJson(res, 503, { errors: [{ code: "UNAVAILABLE", message: "try later" }] });
};

/**
 * Echoes secrets back: those the client holds (`held`: its password or AAD token, and the tokens it obtained) as
 * they are, and every other one in the `name=value` and JSON forms a server writes them in.
 */
const echoSecrets =
  (kind: "basic" | "token"): Behaviour =>
  (req, res, server) => {
    req.resume();
    const { password, accessToken, refreshToken } = server.secrets;
    if (req.method === "GET" && /\/blobs\/sha256:/.test(req.url ?? "")) {
      return void res
        .writeHead(307, { location: `${otherUrl}/storage/blob?sv=2024&se=2030-01-01&sig=${SAS}`, "content-length": 0 })
        .end();
    }
    const held =
      kind === "basic"
        ? `password ${password} token ${accessToken}`
        : `aad ${AAD_TOKEN} refresh ${refreshToken} token ${accessToken}`;
    const pairs = `password=${password}&refresh_token=${refreshToken}&access_token=${accessToken}&sig=${SAS}`;
    const echoed = `${req.headers.authorization} ${held} ${pairs}`;
    const body = {
      errors: [
        {
          code: "DENIED",
          message: `denied: ${echoed}`,
          detail: { echoed, refresh_token: refreshToken, access_token: accessToken, nested: [held] },
        },
      ],
      refresh_token: refreshToken,
      access_token: accessToken,
    };
    const text = JSON.stringify(body);
    const headers = {
      "content-type": "application/json",
      "x-ms-request-id": `req ${held}`,
      "content-length": Buffer.byteLength(text),
    };
    res.writeHead(403, headers).end(req.method === "HEAD" ? undefined : text);
  };

// ---------------------------------------------------------------------------------------------------------------
// Scenarios: a behaviour, which operations it applies to, and what each outcome must be.

interface Outcome {
  error?: unknown;
  value?: unknown;
  hung?: boolean;
  /** The registry requests of this case that carried the token, in order. */
  authorized: HostileRegistry["log"];
  /** Every registry request of this case, token requests included. */
  requests: HostileRegistry["log"];
  logs: RequestLogEntry[];
  /** When the case aborted: the registry requests sent before, and how long the operation took to settle after. */
  abort?: { at: number; requestsBefore: number; settledAfterMs: number };
}

interface Scenario {
  name: string;
  behaviour: Behaviour;
  tls?: boolean;
  credential?: "basic" | "token";
  appliesTo(operation: Operation): boolean;
  /** The operations the behaviour does not fail: they must succeed (the others end in an AcrkitError). */
  succeeds?(operation: Operation): boolean;
  check(outcome: Outcome, operation: Operation): void;
}

/** The first request the behaviour got, and how often it was sent (same method and path). */
function attemptsOfFirst(outcome: Outcome): { method: string; count: number } {
  const first = outcome.authorized[0];
  if (!first) return { method: "", count: 0 };
  const path = (entry: { url: string }) => new URL(entry.url, "http://x").pathname;
  return {
    method: first.method,
    count: outcome.authorized.filter((entry) => entry.method === first.method && path(entry) === path(first)).length,
  };
}

function expectNetworkError(
  outcome: Outcome,
  operation: Operation,
  reason: "timeout" | "connection",
  countAttempts: boolean,
): void {
  expect(outcome.error, `resolved with ${JSON.stringify(outcome.value)?.slice(0, 200)}`).toBeInstanceOf(NetworkError);
  expect((outcome.error as NetworkError).reason).toBe(reason);
  const { method, count } = attemptsOfFirst(outcome);
  if (countAttempts && IDEMPOTENT.has(method) && !operation.resumes)
    expect(count, `${method} attempts`).toBe(RETRY_LIMIT + 1);
}

const SCENARIOS: Scenario[] = [
  {
    name: "headers never sent",
    behaviour: stallHeaders,
    appliesTo: () => true,
    check: (outcome, operation) => expectNetworkError(outcome, operation, "timeout", true),
  },
  {
    name: "body stalls mid-way",
    behaviour: brokenBody("stall"),
    appliesTo: (operation) => operation.readsBody,
    check: (outcome, operation) => expectNetworkError(outcome, operation, "timeout", true),
  },
  {
    name: "connection reset mid-body",
    behaviour: brokenBody("reset"),
    appliesTo: (operation) => operation.readsBody,
    check: (outcome, operation) => expectNetworkError(outcome, operation, "connection", true),
  },
  {
    name: "six redirects",
    behaviour: redirectChain(6),
    appliesTo: () => true,
    check: (outcome) => {
      expect(outcome.error).toBeInstanceOf(RegistryError);
      expect((outcome.error as Error).message).toMatch(/more than 5 redirects/);
      // The first request and 5 followed hops reach the server; the 6th redirect is refused, not followed.
      const hops = outcome.authorized.map((entry) =>
        Number(new URL(entry.url, "http://x").searchParams.get("hop") ?? 0),
      );
      expect(Math.max(...hops)).toBe(5);
    },
  },
  {
    name: "a redirect from https to http",
    behaviour: toPlainHttp,
    tls: true,
    appliesTo: () => true,
    check: (outcome) => {
      expect(outcome.error).toBeInstanceOf(RegistryError);
      expect((outcome.error as Error).message).toMatch(/from https to http/);
      expect(otherLog, "the http target received a request").toEqual([]);
    },
  },
  {
    name: "a redirect to another origin",
    behaviour: toOtherOrigin,
    appliesTo: () => true,
    succeeds: (operation) => operation.name === "mountBlob",
    check: (outcome, operation) => {
      // The redirect was followed: the other origin got the request, without Authorization, and its 403 is the answer.
      expect(otherLog.length, "the other origin received no request").toBeGreaterThan(0);
      expect(
        otherLog.filter((entry) => entry.authorization !== undefined),
        "Authorization sent to another origin",
      ).toEqual([]);
      // A refused mount means "upload the blob" (registry-quirks rows 20, 35): the 403 is mountBlob's answer, not an error.
      if (operation.name === "mountBlob") return void expect(outcome).toMatchObject({ value: { mounted: false } });
      expect(outcome.error).toBeInstanceOf(RegistryError);
      expect((outcome.error as RegistryError).statusCode).toBe(403);
    },
  },
  {
    name: "an endless 503",
    behaviour: endless503,
    appliesTo: () => true,
    check: (outcome) => {
      expect(outcome.error).toBeInstanceOf(RegistryError);
      expect((outcome.error as RegistryError).statusCode).toBe(503);
      const { method, count } = attemptsOfFirst(outcome);
      if (IDEMPOTENT.has(method)) expect(count, `${method} attempts`).toBe(RETRY_LIMIT + 1);
    },
  },
  {
    name: "a server echoing the secrets (Basic credential)",
    behaviour: echoSecrets("basic"),
    credential: "basic",
    // A mount refused 4xx is "not mounted" (its answer is read for nothing): no error to search for secrets.
    appliesTo: (operation) => operation.name !== "mountBlob",
    check: (outcome) => expect(outcome.error).toBeInstanceOf(AcrkitError),
  },
  {
    name: "a server echoing the secrets (AAD token credential)",
    behaviour: echoSecrets("token"),
    credential: "token",
    appliesTo: (operation) => operation.name !== "mountBlob",
    check: (outcome) => expect(outcome.error).toBeInstanceOf(AcrkitError),
  },
];

function clientFor(
  target: HostileRegistry,
  kind: "basic" | "token",
  logs: RequestLogEntry[],
  timeout = TIMEOUT_MS,
  retries = RETRY_LIMIT,
): ContainerRegistryClient {
  const credential: RegistryCredential =
    kind === "basic"
      ? new BasicCredential(target.secrets.username, target.secrets.password)
      : new StaticTokenCredential(AAD_TOKEN);
  return new ContainerRegistryClient(target.url, credential, {
    timeout,
    retry: { limit: retries, backoffLimitMs: 10, maxElapsedMs: 5_000 },
    logger: (entry) => logs.push(entry),
    ...(target.fetch ? { fetch: target.fetch } : {}),
  });
}

function secretsOf(target: HostileRegistry): string[] {
  const { password, accessToken, refreshToken, username } = target.secrets;
  return [
    password,
    accessToken,
    refreshToken,
    AAD_TOKEN,
    SAS,
    Buffer.from(`${username}:${password}`).toString("base64"),
  ];
}

async function runCase(
  target: HostileRegistry,
  operation: Operation,
  kind: "basic" | "token",
  options: { timeout?: number; retries?: number; abortOn?: unknown; abortBefore?: unknown } = {},
): Promise<Outcome> {
  const logs: RequestLogEntry[] = [];
  const client = clientFor(target, kind, logs, options.timeout, options.retries);
  const from = target.log.length;
  otherLog.length = 0;
  const controller = new AbortController();
  if (options.abortBefore !== undefined) controller.abort(options.abortBefore);
  let onFault: (() => void) | undefined;
  let abort: Outcome["abort"];
  if (options.abortOn !== undefined) {
    onFault = () => {
      abort = { at: performance.now(), requestsBefore: target.log.length, settledAfterMs: Number.NaN };
      controller.abort(options.abortOn);
    };
    target.events.once("fault", onFault);
  }
  const signal = options.abortOn === undefined && options.abortBefore === undefined ? undefined : controller.signal;
  let deadline: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    operation.run(client, signal).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<{ hung: true }>((resolve) => (deadline = setTimeout(() => resolve({ hung: true }), CASE_DEADLINE_MS))),
  ]);
  clearTimeout(deadline);
  if (abort) abort.settledAfterMs = performance.now() - abort.at;
  if (onFault) target.events.off("fault", onFault);
  // Anything the operation left hanging is released, so the next case starts clean.
  controller.abort(new Error("case over"));
  const authorized = target.log.slice(from).filter((entry) => entry.authorized && !entry.token);
  return { ...settled, authorized, logs, requests: target.log.slice(from), ...(abort ? { abort } : {}) };
}

function expectNoSecrets(outcome: unknown, logs: RequestLogEntry[], secrets: string[]): void {
  const leaks = scanForSecrets(outcome, logs, secrets);
  if (leaks) expect.fail(`secrets leaked:\n${leaks}`);
}

function checkCommon(outcome: Outcome, target: HostileRegistry): void {
  expectNoSecrets(outcome.error ?? outcome.value, outcome.logs, secretsOf(target));
  if (outcome.error !== undefined) {
    expect(outcome.error).toBeInstanceOf(AcrkitError);
    expect(unsafeCauses(outcome.error)).toEqual([]);
  }
}

const TABLE = SCENARIOS.flatMap((scenario) =>
  OPERATIONS.filter((operation) => scenario.appliesTo(operation)).map(
    (operation) => [`${scenario.name}: ${operation.name}`, scenario, operation] as const,
  ),
);

describe("every operation through hostile servers", () => {
  it("covers every public method of ContainerRegistryClient", () => {
    // getAcrRefreshToken sends only the challenge and the token exchange, which carry no registry token: the hostile
    // token service is test/node/core/acr-refresh-token.test.ts's.
    const tokenOnly = new Set(["constructor", "getAcrRefreshToken"]);
    const methods = Object.getOwnPropertyNames(ContainerRegistryClient.prototype).filter(
      (name) => !tokenOnly.has(name),
    );
    const covered = new Set(OPERATIONS.map((operation) => operation.name.split(" ")[0]));
    expect(methods.filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(TABLE)("%s", async (_name, scenario, operation) => {
    const target = scenario.tls ? tlsRegistry : registry;
    target.behave(scenario.behaviour);
    const outcome = await runCase(target, operation, scenario.credential ?? "basic");
    expect(outcome.hung, "the operation hung").toBeUndefined();
    expect(outcome.authorized.length, "the behaviour was never reached: authentication failed first").toBeGreaterThan(
      0,
    );
    scenario.check(outcome, operation);
    checkCommon(outcome, target);
    report.settled(outcome.error, scenario.succeeds?.(operation) ? "success" : AcrkitError);
  });
});

describe("a broken JSON body is retried as the policy allows", () => {
  const JSON_READS = OPERATIONS.filter((operation) =>
    ["getRepositoryProperties", "listRepositoryNames", "getManifest", "getTagProperties"].includes(operation.name),
  );
  const cases = JSON_READS.flatMap((operation) => [
    [`${operation.name}, a stall`, "stall", "timeout", operation] as const,
    [`${operation.name}, a reset`, "reset", "connection", operation] as const,
  ]);

  it.each(cases)(
    "%s: retry { limit: 2 } sends it 3 times, then a NetworkError",
    async (_name, then, reason, operation) => {
      registry.behave(brokenBody(then));
      const outcome = await runCase(registry, operation, "basic", { retries: 2 });
      expect(outcome.hung, "the operation hung").toBeUndefined();
      expect(outcome.error).toBeInstanceOf(NetworkError);
      expect((outcome.error as NetworkError).reason).toBe(reason);
      expect(attemptsOfFirst(outcome).count).toBe(3);
      report.handled(outcome.error, NetworkError);
    },
  );
});

describe("aborts reject with the signal's own reason", () => {
  const cases = [
    ...OPERATIONS.map((operation) => ["before the response headers", stallHeaders, operation] as const),
    ...OPERATIONS.filter((operation) => operation.readsBody).map(
      (operation) => ["while the body is read", brokenBody("stall"), operation] as const,
    ),
  ].map(([when, behaviour, operation]) => [`${operation.name}, ${when}`, behaviour, operation] as const);

  it.each(cases)(
    "%s: no request after the abort, settled long before the 5 s timeout",
    async (_name, behaviour, operation) => {
      registry.behave(behaviour);
      // Not an Error: the reason must come back as it is, not wrapped, copied or replaced by a timeout.
      const reason = { cancelledBy: "request-path test", at: Date.now() };
      const outcome = await runCase(registry, operation, "basic", { timeout: 5_000, abortOn: reason });
      expect(outcome.hung, "the operation hung").toBeUndefined();
      expect(outcome.authorized.length).toBeGreaterThan(0);
      expect(outcome.error).toBe(reason);
      // The request timeout is 5 s, so settling well inside it shows the abort, not the timeout, ended the call. How
      // fast it lands is a speed figure for the benchmarks; this bound only catches a wait.
      expect(outcome.abort?.settledAfterMs).toBeLessThan(ABORT_HANG_BOUND_MS);
      // Nothing is sent after the abort but the DELETE that cancels an upload session.
      const after = outcome.requests
        .slice(outcome.abort!.requestsBefore)
        .filter((entry) => !(entry.method === "DELETE" && /\/blobs\/uploads\//.test(entry.url)));
      expect(after.map((entry) => `${entry.method} ${entry.url}`)).toEqual([]);
      expectNoSecrets(outcome.error, outcome.logs, secretsOf(registry));
      // The reason is a plain object (checked to be the very one above), so any object passes the report's class test.
      report.handled(outcome.error, Object);
    },
  );

  it.each(OPERATIONS.map((operation) => [operation.name, operation] as const))(
    "%s, with a signal aborted before the call: rejects with its reason and sends nothing",
    async (_name, operation) => {
      registry.behave(stallHeaders);
      const reason = new Error("aborted before the call");
      const outcome = await runCase(registry, operation, "basic", { timeout: 5_000, abortBefore: reason });
      expect(outcome.hung, "the operation hung").toBeUndefined();
      expect(outcome.error).toBe(reason);
      expect(outcome.requests.map((entry) => `${entry.method} ${entry.url}`)).toEqual([]);
      report.handled(outcome.error, Error);
    },
  );
});

describe("an endpoint with user info", () => {
  it.each([
    ["http://admin:Hunter2@127.0.0.1:5000"],
    ["https://admin:Hunter2@registry.example"],
    ["ftp://admin:Hunter2@127.0.0.1:5000"],
    ["http://admin:Hunter2@[::1"],
    ["http://admin:Hunter2@127.0.0.1:5000/?x=1"],
  ])("%s is refused with a TypeError that never shows the password", (endpoint) => {
    let error: unknown;
    try {
      new ContainerRegistryClient(endpoint, new BasicCredential("admin", "Hunter2"));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expectNoSecrets(error, [], ["Hunter2"]);
  });
});
