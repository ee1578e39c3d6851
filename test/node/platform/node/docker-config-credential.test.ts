/**
 * DockerConfigCredential with what `docker login` and `az acr login` store: Basic logins against docker-registry
 * 2.8.2 with htpasswd, ACR identity tokens against the emulator's refresh-token grant (no exchange), and
 * credential helpers as fake `docker-credential-*` executables on PATH.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AcrkitError,
  AuthenticationError,
  ContainerRegistryClient,
  CredentialUnavailableError,
  DockerConfigCredential,
} from "../../../../src/platform/node/index";
import { type FakeTools, createFakeTools } from "../../../support/cli-fakes/index";
import { HELPER_NOT_FOUND, helperCredentials } from "../../../support/cli-fakes/outputs";
import { type RunningDockerRegistry, startDockerRegistry } from "../../../support/docker-registry";
import { type StartedEmulator, startEmulator } from "../../../support/emulator";

const USER = "pusher";
const PASSWORD = "htpasswd-Secret-7c1d";
const AAD_TOKEN = "aad-token-of-az-acr-login";
const NULL_USER = "00000000-0000-0000-0000-000000000000";
let registry: RunningDockerRegistry;
let host: string;
let emulator: StartedEmulator;
let tools: FakeTools;
let restorePath: () => void;
let dir: string;
let configCount = 0;

beforeAll(async () => {
  [registry, emulator] = await Promise.all([
    startDockerRegistry({ htpasswd: { [USER]: PASSWORD } }),
    startEmulator({ validateAadToken: (token) => token === AAD_TOKEN }),
  ]);
  host = new URL(registry.url).host;
  await emulator.emulator.seedImage({ repository: "from/identity-token", tags: ["v1"] });
  tools = createFakeTools();
  restorePath = tools.usePath({ only: true });
  dir = mkdtempSync(join(tmpdir(), "acrkit-docker-config-"));
});
afterAll(async () => {
  restorePath();
  tools.remove();
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([registry.stop(), emulator.close()]);
});

/** Writes a config.json and returns its path. */
function writeConfig(config: unknown): string {
  const path = join(dir, `config-${++configCount}.json`);
  writeFileSync(path, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  return path;
}

/** The registry's 401 stands: the credential was refused. */
function expectRefused(err: unknown): void {
  expect(err).toBeInstanceOf(AcrkitError);
  expect((err as { statusCode?: number }).statusCode).toBe(401);
}

const basicAuth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString("base64");

/** Pushes a blob and reads it back: both need the login on docker-registry. */
async function roundTrip(client: ContainerRegistryClient, text: string): Promise<string> {
  const { digest } = await client.uploadBlob("team/app", text);
  const download = await client.downloadBlob("team/app", digest);
  return new Response(download.body).text();
}

/** What `az acr login` does: exchanges an Entra ID token for an ACR refresh token. */
async function azAcrLogin(): Promise<string> {
  const form = new URLSearchParams({ grant_type: "access_token", service: emulator.service, access_token: AAD_TOKEN });
  const response = await fetch(`${emulator.url}/oauth2/exchange`, { method: "POST", body: form });
  expect(response.status).toBe(200);
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

async function listOnEmulator(credential: DockerConfigCredential): Promise<string[]> {
  const names: string[] = [];
  for await (const name of new ContainerRegistryClient(emulator.url, credential).listRepositoryNames())
    names.push(name);
  return names;
}

describe("auths entries against docker-registry with htpasswd", () => {
  test.each([
    ["host:port", () => host],
    ["with scheme", () => `http://${host}`],
    ["with scheme and path", () => `https://${host}/v2/`],
  ])("auth (base64 user:password) under a key %s", async (_name, key) => {
    const configPath = writeConfig({
      auths: { "other.example": { auth: basicAuth("x", "y") }, [key()]: { auth: basicAuth(USER, PASSWORD) } },
    });
    const client = new ContainerRegistryClient(registry.url, new DockerConfigCredential({ configPath }));
    expect(await roundTrip(client, `hello ${key()}`)).toBe(`hello ${key()}`);
  });

  test("username and password fields, from $DOCKER_CONFIG/config.json by default", async () => {
    const configDir = mkdtempSync(join(dir, "docker-"));
    writeFileSync(
      join(configDir, "config.json"),
      JSON.stringify({ auths: { [host]: { username: USER, password: PASSWORD } } }),
    );
    const previous = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = configDir;
    try {
      expect(await roundTrip(new ContainerRegistryClient(registry.url, new DockerConfigCredential()), "fields")).toBe(
        "fields",
      );
    } finally {
      if (previous === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = previous;
    }
  });

  test("the registry option picks another host's login", async () => {
    const configPath = writeConfig({ auths: { "https://mirror.example.test": { auth: basicAuth(USER, PASSWORD) } } });
    const client = new ContainerRegistryClient(
      registry.url,
      new DockerConfigCredential({ configPath, registry: "mirror.example.test" }),
    );
    expect(await roundTrip(client, "mirror")).toBe("mirror");
  });

  test("no login for the host: anonymous (refused here), or unavailable when one is required", async () => {
    const configPath = writeConfig({ auths: { "other.example": { auth: basicAuth(USER, PASSWORD) } } });
    const anonymous = await roundTrip(
      new ContainerRegistryClient(registry.url, new DockerConfigCredential({ configPath })),
      "x",
    ).catch((e: unknown) => e);
    expectRefused(anonymous);
    const required = await roundTrip(
      new ContainerRegistryClient(registry.url, new DockerConfigCredential({ configPath, requireCredential: true })),
      "x",
    ).catch((e: unknown) => e);
    expect(required).toBeInstanceOf(AuthenticationError);
    expect((required as Error).message).toContain(`found no usable login for ${host}`);
    expect((required as Error).cause).toBeInstanceOf(CredentialUnavailableError);
    expect(((required as Error).cause as Error).message).toBe(
      `DockerConfigCredential is unavailable: ${configPath} has no login for ${host}`,
    );
  });

  test("a missing config file means no logins", async () => {
    const credential = new DockerConfigCredential({ configPath: join(dir, "none.json") });
    expect(await credential.resolveRegistryCredential(new URL(registry.url))).toEqual({ kind: "anonymous" });
  });

  test("a wrong password is the registry's refusal, and no secret is repeated", async () => {
    const configPath = writeConfig({ auths: { [host]: { auth: basicAuth(USER, `${PASSWORD}-old`) } } });
    const err = await roundTrip(
      new ContainerRegistryClient(registry.url, new DockerConfigCredential({ configPath })),
      "x",
    ).catch((e: unknown) => e);
    expectRefused(err);
    expect(String((err as Error).stack) + JSON.stringify(err)).not.toContain(PASSWORD);
  });

  test("a broken config names the file, never its content", async () => {
    const broken = writeConfig(`{"auths": {"${host}": {"auth": "${basicAuth(USER, PASSWORD)}"`);
    const err = await new DockerConfigCredential({ configPath: broken })
      .resolveRegistryCredential(new URL(registry.url))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialUnavailableError);
    expect((err as Error).message).toBe(`DockerConfigCredential is unavailable: ${broken} is not valid JSON`);
    const notBase64 = writeConfig({ auths: { [host]: { auth: Buffer.from(PASSWORD).toString("base64") } } });
    const bad = await new DockerConfigCredential({ configPath: notBase64 })
      .resolveRegistryCredential(new URL(registry.url))
      .catch((e: unknown) => e);
    expect((bad as Error).message).toContain(`the "auth" of ${host} in ${notBase64} is not base64 of user:password`);
    expect((bad as Error).message).not.toContain(PASSWORD);
  });

  test("bad options are TypeErrors", () => {
    expect(() => new DockerConfigCredential({ configPath: "" })).toThrow(TypeError);
    expect(() => new DockerConfigCredential({ registry: 42 as never })).toThrow(
      /registry must be a non-empty string, got 42/,
    );
  });
});

describe("credential helpers", () => {
  test("credHelpers[host] runs docker-credential-<name> get with the host on stdin", async () => {
    tools.install("docker-credential-acrkit-test", helperCredentials(host, USER, PASSWORD));
    const configPath = writeConfig({ auths: { [host]: {} }, credHelpers: { [host]: "acrkit-test" } });
    const before = tools.calls("docker-credential-acrkit-test").length;
    expect(
      await roundTrip(new ContainerRegistryClient(registry.url, new DockerConfigCredential({ configPath })), "helper"),
    ).toBe("helper");
    expect(tools.calls("docker-credential-acrkit-test").slice(before)).toEqual([{ args: ["get"], stdin: host }]);
  });

  test("credsStore serves every host; a host it does not know goes anonymous", async () => {
    tools.install("docker-credential-store", HELPER_NOT_FOUND);
    const configPath = writeConfig({ auths: { [host]: {} }, credsStore: "store" });
    const credential = new DockerConfigCredential({ configPath });
    expect(await credential.resolveRegistryCredential(new URL(registry.url))).toEqual({ kind: "anonymous" });
    tools.install("docker-credential-store", helperCredentials(host, USER, PASSWORD));
    expect(await roundTrip(new ContainerRegistryClient(registry.url, credential), "store")).toBe("store");
  });

  test("a helper that is missing or fails is reported without its output", async () => {
    const missing = writeConfig({ credHelpers: { [host]: "not-installed" } });
    const err = await new DockerConfigCredential({ configPath: missing })
      .resolveRegistryCredential(new URL(registry.url))
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain("`docker-credential-not-installed` is not installed or not on PATH");
    tools.install("docker-credential-broken", { stdout: `{"Secret": "${PASSWORD}"`, exitCode: 0 });
    const broken = writeConfig({ credHelpers: { [host]: "broken" } });
    const err2 = await new DockerConfigCredential({ configPath: broken })
      .resolveRegistryCredential(new URL(registry.url))
      .catch((e: unknown) => e);
    expect((err2 as Error).message).toContain("printed output that is not the expected JSON object");
    expect((err2 as Error).message).not.toContain(PASSWORD);
    const hostile = writeConfig({ credHelpers: { [host]: "../../bin/sh" } });
    const err3 = await new DockerConfigCredential({ configPath: hostile })
      .resolveRegistryCredential(new URL(registry.url))
      .catch((e: unknown) => e);
    expect((err3 as Error).message).toContain('the credential helper name "../../bin/sh" is not a plain name');
  });
});

describe("ACR identity tokens against the emulator", () => {
  test("identitytoken from az acr login is used in the refresh-token grant, without an exchange", async () => {
    const refreshToken = await azAcrLogin();
    const configPath = writeConfig({
      auths: { [emulator.service]: { auth: basicAuth(NULL_USER, ""), identitytoken: refreshToken } },
    });
    emulator.emulator.clearRequests();
    expect(await listOnEmulator(new DockerConfigCredential({ configPath }))).toEqual(["from/identity-token"]);
    const paths = emulator.emulator.requests.map((r) => `${r.method} ${r.path.split("?")[0]} ${r.status}`);
    expect(paths).toContain("POST /oauth2/token 200");
    expect(paths.filter((p) => p.includes("/oauth2/exchange"))).toEqual([]);
  });

  test("a helper's <token> user means an identity token", async () => {
    tools.install("docker-credential-acr", helperCredentials(emulator.service, "<token>", await azAcrLogin()));
    const configPath = writeConfig({ credHelpers: { [emulator.service]: "acr" } });
    expect(await listOnEmulator(new DockerConfigCredential({ configPath }))).toEqual(["from/identity-token"]);
  });

  test("docker login with the null user and a refresh token as password works too", async () => {
    const configPath = writeConfig({
      auths: { [`https://${emulator.service}`]: { auth: basicAuth(NULL_USER, await azAcrLogin()) } },
    });
    expect(await listOnEmulator(new DockerConfigCredential({ configPath }))).toEqual(["from/identity-token"]);
  });

  test("a refresh token the registry does not accept is an AuthenticationError without the token", async () => {
    const forged = `${(await azAcrLogin()).slice(0, -4)}AAAA`;
    const configPath = writeConfig({ auths: { [emulator.service]: { identitytoken: forged } } });
    const err = await listOnEmulator(new DockerConfigCredential({ configPath })).catch((e: unknown) => e);
    expectRefused(err);
    expect(String((err as Error).stack) + JSON.stringify(err)).not.toContain(forged);
  });
});
