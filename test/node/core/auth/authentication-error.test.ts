/**
 * A wrong password, or a credential the token endpoint refuses, is an AuthenticationError that says which scope was
 * asked for, with the 401 status and the registry's error code: against the emulator (ACR's token endpoints) and
 * against docker-registry with htpasswd (HTTP Basic on the API itself). No secret appears in it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BasicCredential,
  ContainerRegistryClient,
  StaticTokenCredential,
  type RequestLogEntry,
} from "../../../../src/index";
import { startDockerRegistry, type RunningDockerRegistry } from "../../../support/docker-registry";
import { startEmulator, type StartedEmulator } from "../../../support/emulator";
import { scanForSecrets } from "../../../support/secret-scan";

const RIGHT = "emulator-Right-Password-93b2";
const WRONG = "emulator-Wrong-Password-77c4";
const REFUSED_AAD = "aad-token-the-emulator-refuses-5d1";
/** docker-registry reads bcrypt only; this is the hash of HTPASSWD_RIGHT (cost 5, a test fixture, no real secret). */
const HTPASSWD_RIGHT = "htpasswd-Right-Password-4e1a";
const HTPASSWD_WRONG = "htpasswd-Wrong-Password-0f3c";

let emulator: StartedEmulator;
let distribution: RunningDockerRegistry;

beforeAll(async () => {
  emulator = await startEmulator({ users: { admin: RIGHT }, validateAadToken: (token) => token !== REFUSED_AAD });
  await emulator.emulator.seedImage({ repository: "auth/app", tags: ["v1"] });
  distribution = await startDockerRegistry({ htpasswd: { admin: HTPASSWD_RIGHT } });
});
afterAll(async () => {
  await emulator?.close();
  await distribution?.stop();
});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("the operation succeeded");
}

function expectAuthenticationError(
  error: unknown,
  scope: string,
  code: string,
  secrets: string[],
  logs: RequestLogEntry[],
): void {
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({ scope, statusCode: 401, code });
  const leaks = scanForSecrets(error, logs, secrets);
  if (leaks) expect.fail(`secrets leaked:\n${leaks}`);
}

describe("against the emulator", () => {
  const wrongClient = (logs: RequestLogEntry[]) =>
    new ContainerRegistryClient(emulator.url, new BasicCredential("admin", WRONG), {
      logger: (entry) => logs.push(entry),
    });

  it.each([
    [
      "getRepositoryProperties",
      "repository:auth/app:metadata_read",
      (client: ContainerRegistryClient) => client.getRepositoryProperties("auth/app"),
    ],
    [
      "getManifest",
      "repository:auth/app:pull",
      (client: ContainerRegistryClient) => client.getManifest("auth/app", "v1"),
    ],
    [
      "listRepositoryNames",
      "registry:catalog:*",
      (client: ContainerRegistryClient) => client.listRepositoryNames().next(),
    ],
  ] as const)(
    "a wrong admin password on %s: AuthenticationError for %s, 401, UNAUTHORIZED",
    async (_name, scope, run) => {
      const logs: RequestLogEntry[] = [];
      const error = await failure(() => run(wrongClient(logs)));
      expectAuthenticationError(
        error,
        scope,
        "UNAUTHORIZED",
        [WRONG, RIGHT, Buffer.from(`admin:${WRONG}`).toString("base64")],
        logs,
      );
    },
  );

  it("an AAD token that the exchange refuses: AuthenticationError with the scope, 401, UNAUTHORIZED", async () => {
    const logs: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(emulator.url, new StaticTokenCredential(REFUSED_AAD), {
      logger: (entry) => logs.push(entry),
    });
    const error = await failure(() => client.getManifest("auth/app", "v1"));
    expectAuthenticationError(error, "repository:auth/app:pull", "UNAUTHORIZED", [REFUSED_AAD], logs);
  });

  it("the right password still works (the errors above are about the password)", async () => {
    const client = new ContainerRegistryClient(emulator.url, new BasicCredential("admin", RIGHT));
    expect((await client.getRepositoryProperties("auth/app")).name).toBe("auth/app");
  });
});

describe("against docker-registry with htpasswd", () => {
  it("the right password works", async () => {
    const client = new ContainerRegistryClient(distribution.url, new BasicCredential("admin", HTPASSWD_RIGHT));
    const { digest } = await client.uploadBlob("auth/app", "htpasswd blob");
    expect(await client.blobExists("auth/app", digest)).toBe(true);
  });

  it.each([
    [
      "getManifest",
      "repository:auth/app:pull",
      (client: ContainerRegistryClient) => client.getManifest("auth/app", "v1"),
    ],
    [
      "deleteBlob",
      "repository:auth/app:delete",
      (client: ContainerRegistryClient) => client.deleteBlob("auth/app", `sha256:${"d".repeat(64)}`),
    ],
  ] as const)("a wrong password on %s: AuthenticationError for %s, 401, UNAUTHORIZED", async (_name, scope, run) => {
    const logs: RequestLogEntry[] = [];
    const client = new ContainerRegistryClient(distribution.url, new BasicCredential("admin", HTPASSWD_WRONG), {
      logger: (entry) => logs.push(entry),
    });
    const error = await failure(() => run(client));
    expectAuthenticationError(
      error,
      scope,
      "UNAUTHORIZED",
      [HTPASSWD_WRONG, HTPASSWD_RIGHT, Buffer.from(`admin:${HTPASSWD_WRONG}`).toString("base64")],
      logs,
    );
  });
});
