/**
 * No secret leaks: many failing operations with known secrets (a password, an AAD token, SAS signatures in redirect
 * URLs, tokens the emulator issued, secrets a hostile server echoes back), with every error message, field, cause
 * and stack and every log line captured and scanned.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BasicCredential,
  ContainerRegistryClient,
  NetworkError,
  RegistryError,
  StaticTokenCredential,
  type RequestLogEntry,
} from "../../../src/platform/node/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { FaultReport, type ErrorClass } from "../../support/faults/report";
import { readAll } from "../../support/faults/setup";
import {
  describeLeaks,
  exposedTexts,
  leakedSecrets,
  secretRecordingFetch,
  unsafeCauses,
} from "../../support/secret-scan";

const PASSWORD = "pw-Secret-0b1c2d3e4f";
const AAD_TOKEN = "aad-secret-token-9f8e7d6c5b";
const SAS = "sasSIGNATUREsecret42";
const DIGEST = `sha256:${"a".repeat(64)}`;
const report = new FaultReport("secrets");
const secrets = new Set([PASSWORD, AAD_TOKEN, SAS, Buffer.from(`admin:${PASSWORD}`).toString("base64")]);
const captured: string[] = [];
const causeFindings: string[] = [];
const logs: RequestLogEntry[] = [];
let started: StartedEmulator;
let hostile: Server;
let hostileUrl: string;

/** What an operation must end in: success, or an error of a class (with a status, for a RegistryError). */
type Expected = "success" | readonly [ErrorClass, number?];

async function capture(run: () => Promise<unknown>, expected: Expected): Promise<void> {
  let error: unknown;
  try {
    const value = await run();
    if (value && typeof value === "object" && "body" in value)
      await readAll((value as { body: ReadableStream<Uint8Array> }).body);
    captured.push(...exposedTexts(value));
  } catch (caught) {
    error = caught;
    captured.push(...exposedTexts(error));
    causeFindings.push(...unsafeCauses(error));
  }
  report.settled(error, expected === "success" ? "success" : expected[0]);
  if (expected !== "success" && expected[1] !== undefined)
    expect((error as { statusCode?: number }).statusCode).toBe(expected[1]);
}

/** A fetch that remembers every Authorization value and token it sends, so that issued tokens are scanned for too. */
const recordingFetch = secretRecordingFetch(secrets);

beforeAll(async () => {
  started = await startEmulator({
    users: { admin: PASSWORD },
    redirectBlobs: true,
    validateAadToken: (token) => token === AAD_TOKEN,
    accessTokenLifetimeSeconds: 60,
  });
  await started.emulator.seedImage({ repository: "secret/app", tags: ["v1"] });
  hostile = createServer((req, res) => {
    req.resume();
    const echoed = `${req.headers.authorization ?? ""} access_token=${AAD_TOKEN} password=${PASSWORD} ${req.url}`;
    if (req.url?.startsWith("/redirect")) {
      res.writeHead(307, { location: `${hostileUrl}/storage/blob?sv=2024&se=2030-01-01&sig=${SAS}` }).end();
    } else if (req.url?.startsWith("/storage")) {
      res
        .writeHead(403, { "content-type": "application/xml" })
        .end(`<Error><Message>Signature ${SAS} did not match ${echoed}</Message></Error>`);
    } else if (req.headers.authorization) {
      res
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ errors: [{ code: "UNKNOWN", message: echoed, detail: { echoed, nested: [echoed] } }] }));
    } else {
      res.writeHead(401, { "www-authenticate": `Basic realm="x", error="${PASSWORD}"` }).end(echoed);
    }
  });
  await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
});
afterAll(async () => {
  report.write();
  await started.close();
  await new Promise((resolve) => hostile.close(resolve));
});

describe("secrets stay secret", () => {
  it("appear in no error, field, cause, stack or log line of many failing operations", async () => {
    const options = {
      logger: (entry: RequestLogEntry) => logs.push(entry),
      fetch: recordingFetch,
      timeout: 2_000,
      retry: { limit: 1, backoffLimitMs: 20 },
    };
    const good = new ContainerRegistryClient(started.url, new BasicCredential("admin", PASSWORD), options);
    const wrong = new ContainerRegistryClient(started.url, new BasicCredential("admin", `${PASSWORD}-wrong`), options);
    const aad = new ContainerRegistryClient(started.url, new StaticTokenCredential(AAD_TOKEN), options);
    const badAad = new ContainerRegistryClient(started.url, new StaticTokenCredential(`${AAD_TOKEN}-expired`), options);
    const toHostile = new ContainerRegistryClient(hostileUrl, new BasicCredential("admin", PASSWORD), options);
    secrets.add(`${PASSWORD}-wrong`);
    secrets.add(`${AAD_TOKEN}-expired`);

    // What each of the seven operations below must end in, per client: the admin's and the AAD token's calls reach
    // the emulator (404 for what is missing; a tag delete is tolerant), refused credentials end in
    // AuthenticationError, and the hostile server answers 500 to everything.
    const notFound = [RegistryError, 404] as const;
    const refused = [AuthenticationError, 401] as const;
    const reachable: Expected[] = ["success", notFound, notFound, notFound, "success", "success", notFound];
    const clients: Array<[ContainerRegistryClient, Expected[]]> = [
      [good, reachable],
      [wrong, Array(7).fill(refused)],
      [aad, reachable],
      [badAad, Array(7).fill(refused)],
      [toHostile, Array(7).fill([RegistryError, 500])],
    ];
    for (const [client, expected] of clients) {
      await capture(() => client.getRepositoryProperties("secret/app"), expected[0]!);
      await capture(() => client.getRepositoryProperties("secret/missing"), expected[1]!);
      await capture(() => client.getManifest("secret/app", "nope"), expected[2]!);
      await capture(() => client.downloadBlob("secret/app", DIGEST), expected[3]!);
      await capture(() => client.uploadBlob("secret/app", "x".repeat(10)), expected[4]!);
      await capture(() => client.deleteTag("secret/app", "v1"), expected[5]!);
      await capture(() => client.getTagProperties("secret/app", "missing"), expected[6]!);
    }
    // A redirect to a SAS URL that fails, on the registry's storage origin and on a hostile one.
    const seeded = await started.emulator.seedBlob("secret/app", "layer");
    await capture(() => good.downloadBlob("secret/app", seeded), "success");
    const redirecting = new ContainerRegistryClient(hostileUrl, undefined, {
      ...options,
      fetch: (input: Request, init?: RequestInit) =>
        fetch(input.url.includes("/blobs/") ? new Request(`${hostileUrl}/redirect`, input) : input, init),
    });
    await capture(() => redirecting.downloadBlob("secret/app", DIGEST), [RegistryError, 403]);
    // Credentials in the endpoint are refused up front, without repeating them.
    await capture(
      async () => new ContainerRegistryClient(`http://admin:${PASSWORD}@127.0.0.1:1`, undefined, options),
      [TypeError],
    );
    expect(captured.some((text) => text.includes("credentials in the URL are not allowed"))).toBe(true);
    const unreachable = new ContainerRegistryClient(
      "http://127.0.0.1:1",
      new BasicCredential("admin", PASSWORD),
      options,
    );
    await capture(() => unreachable.getRepositoryProperties("secret/app"), [NetworkError]);

    expect(captured.length).toBeGreaterThanOrEqual(38);
    expect(logs.length).toBeGreaterThan(50);
    // The SAS redirect really was followed, so its URL reached the logger (redacted).
    expect(logs.some((entry) => entry.url.includes("/storage/blob"))).toBe(true);
    // Issued tokens were recorded, so the scan covers them.
    expect(secrets.size).toBeGreaterThan(6);
    const texts = [...captured, ...logs.map((entry) => JSON.stringify(entry))];
    const leaked = leakedSecrets(
      texts,
      [...secrets].filter((secret) => secret.length >= 8),
    );
    if (leaked.length > 0) console.log(describeLeaks(texts, leaked));
    expect(leaked).toEqual([]);
    // Causes are plain errors: no Request, Response, Headers or third-party error that holds one.
    expect(causeFindings).toEqual([]);
  });
});
