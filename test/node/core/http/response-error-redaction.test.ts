/**
 * Server text that reaches an error is redacted: the secrets the client holds (its password or AAD token, the
 * refresh and access tokens it obtained) wherever a server quotes them (`errors[].message`, `errors[].detail`, a
 * non-JSON body, a JSON body), tokens in `name=value` and JSON form, and redaction comes before the snippet is cut,
 * so no prefix of a secret survives the cut either.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BasicCredential,
  ContainerRegistryClient,
  RegistryError,
  StaticTokenCredential,
  type RequestLogEntry,
} from "../../../../src/index";
import {
  sendJson,
  startHostileRegistry,
  type Behaviour,
  type HostileRegistry,
} from "../../../support/hostile-registry";
import { leakedPrefixes, scanForSecrets } from "../../../support/secret-scan";

const AAD_TOKEN = "aad-redaction-secret-2b7f90";
/** A SAS signature of 40 characters, as long as the ones the contract names. */
const SAS = "SasSignature0123456789abcdefghijklmnopqr";
const DIGEST = `sha256:${"c".repeat(64)}`;
let registry: HostileRegistry;
let storage: Server;
let storageUrl: string;
let storageBody = "";

beforeAll(async () => {
  registry = await startHostileRegistry({ label: "redaction" });
  storage = createServer((req, res) => {
    req.resume();
    res
      .writeHead(403, { "content-type": "text/plain", "content-length": Buffer.byteLength(storageBody) })
      .end(storageBody);
  });
  await new Promise<void>((resolve) => storage.listen(0, "127.0.0.1", resolve));
  storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await registry.close();
  await new Promise((resolve) => storage.close(resolve));
});

const text =
  (status: number, body: (registry: HostileRegistry) => string): Behaviour =>
  (req, res, server) => {
    req.resume();
    const content = body(server);
    res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(content) }).end(content);
  };
const json =
  (status: number, body: (registry: HostileRegistry) => unknown): Behaviour =>
  (req, res, server) => {
    req.resume();
    sendJson(res, status, body(server));
  };

interface Case {
  name: string;
  behaviour: Behaviour;
  /** Words of the server's text that are no secret and must still be there. */
  kept?: string[];
}

/** Secrets a Basic client holds: its password and the access token it obtained. */
const BASIC_CASES: Case[] = [
  {
    name: "errors[].message quoting the password and the access token",
    behaviour: json(400, ({ secrets }) => ({
      errors: [{ code: "DENIED", message: `bad login ${secrets.password} with token ${secrets.accessToken}` }],
    })),
    kept: ["DENIED", "bad login"],
  },
  {
    name: "errors[].detail quoting them, nested in objects and arrays",
    behaviour: json(400, ({ secrets }) => ({
      errors: [
        { code: "DENIED", message: "no", detail: { tried: [secrets.password], token: { value: secrets.accessToken } } },
      ],
    })),
    kept: ["DENIED"],
  },
  {
    name: "a non-JSON body quoting them",
    behaviour: text(
      400,
      ({ secrets }) => `login failed for admin with ${secrets.password}; the token ${secrets.accessToken} is not valid`,
    ),
    kept: ["login failed"],
  },
  {
    name: "a JSON body (not an error document) holding tokens in JSON form",
    behaviour: json(400, ({ secrets }) => ({
      refresh_token: secrets.refreshToken,
      access_token: secrets.accessToken,
      note: "echo",
    })),
  },
  {
    name: "a body holding tokens in name=value form",
    behaviour: text(
      400,
      ({ secrets }) =>
        `grant_type=refresh_token&refresh_token=${secrets.refreshToken}&access_token=${secrets.accessToken}`,
    ),
  },
  {
    name: "the password right where the snippet is cut",
    behaviour: text(400, ({ secrets }) => `${"x".repeat(190)}${secrets.password}${"y".repeat(50)}`),
  },
  {
    name: "the access token right where the snippet is cut",
    behaviour: text(400, ({ secrets }) => `${"x".repeat(192)}${secrets.accessToken}${"y".repeat(50)}`),
  },
  {
    name: "a sig= value right where the snippet is cut",
    behaviour: text(400, () => `${"x".repeat(189)}?sig=${SAS}&se=2030`),
  },
];

function basicClient(logs: RequestLogEntry[]): ContainerRegistryClient {
  return new ContainerRegistryClient(
    registry.url,
    new BasicCredential(registry.secrets.username, registry.secrets.password),
    {
      retry: { limit: 0 },
      logger: (entry) => logs.push(entry),
    },
  );
}

function allSecrets(): string[] {
  const { username, password, accessToken, refreshToken } = registry.secrets;
  return [
    password,
    accessToken,
    refreshToken,
    AAD_TOKEN,
    SAS,
    Buffer.from(`${username}:${password}`).toString("base64"),
  ];
}

function expectRedacted(error: unknown, logs: RequestLogEntry[], kept: string[] = []): void {
  expect(error).toBeInstanceOf(RegistryError);
  const leaks = scanForSecrets(error, logs, allSecrets());
  if (leaks) expect.fail(`secrets leaked:\n${leaks}`);
  const texts = [String((error as Error).message), JSON.stringify(error), String((error as RegistryError).bodySnippet)];
  for (const secret of allSecrets()) expect(leakedPrefixes(texts, secret, 6), `a prefix of ${secret}`).toEqual([]);
  for (const word of kept)
    expect(JSON.stringify({ message: (error as Error).message, details: (error as RegistryError).details })).toContain(
      word,
    );
}

describe("server text in errors is redacted (Basic credential)", () => {
  it.each(BASIC_CASES.map((entry) => [entry.name, entry] as const))("%s", async (_name, entry) => {
    registry.behave(entry.behaviour);
    const logs: RequestLogEntry[] = [];
    const error = await basicClient(logs)
      .getRepositoryProperties("redaction/app")
      .catch((caught: unknown) => caught);
    expectRedacted(error, logs, entry.kept);
    expect((error as RegistryError).statusCode).toBe(400);
  });
});

describe("server text in errors is redacted (AAD token credential)", () => {
  it("errors[].message and detail quoting the AAD token and the refresh and access tokens", async () => {
    registry.behave(
      json(403, ({ secrets }) => ({
        errors: [
          {
            code: "DENIED",
            message: `aad ${AAD_TOKEN} refresh ${secrets.refreshToken} access ${secrets.accessToken}`,
            detail: [AAD_TOKEN, secrets.refreshToken],
          },
        ],
      })),
    );
    const logs: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(registry.url, new StaticTokenCredential(AAD_TOKEN), {
      retry: { limit: 0 },
      logger: (entry) => logs.push(entry),
    });
    const error = await client.getRepositoryProperties("redaction/app").catch((caught: unknown) => caught);
    expectRedacted(error, logs, ["DENIED"]);
  });

  it("a non-JSON body quoting the refresh token where the snippet is cut", async () => {
    registry.behave(text(400, ({ secrets }) => `${"z".repeat(192)}${secrets.refreshToken}`));
    const logs: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(registry.url, new StaticTokenCredential(AAD_TOKEN), {
      retry: { limit: 0 },
      logger: (entry) => logs.push(entry),
    });
    expectRedacted(await client.getRepositoryProperties("redaction/app").catch((caught: unknown) => caught), logs);
  });
});

describe("a storage error after a redirect", () => {
  it("quoting the SAS signature where the snippet is cut leaves no prefix of it", async () => {
    registry.behave((req, res) => {
      req.resume();
      res
        .writeHead(307, {
          location: `${storageUrl}/container/blob?sv=2024&se=2030-01-01&sig=${SAS}`,
          "content-length": 0,
        })
        .end();
    });
    storageBody = `${"b".repeat(190)}${SAS} did not match`;
    const logs: RequestLogEntry[] = [];
    const error = await basicClient(logs)
      .downloadBlob("redaction/app", DIGEST)
      .catch((caught: unknown) => caught);
    expectRedacted(error, logs);
    expect((error as RegistryError).statusCode).toBe(403);
  });
});
