/**
 * No secret of the new credentials leaks: passwords and identity tokens from docker config files and credential
 * helpers, tokens `az` and `azd` print, federated assertions, and every token the registry issued, scanned for in
 * every error message, field, cause and stack and every log line of many failing (and some succeeding) calls.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  AzureCliCredential,
  AzureDeveloperCliCredential,
  ClientAssertionCredential,
  ContainerRegistryClient,
  DockerConfigCredential,
  type RegistryCredential,
  type RequestLogEntry,
  WorkloadIdentityCredential,
} from "../../../../src/platform/node/index";
import {
  type FederatedIssuer,
  type LocalAuthority,
  type TestApp,
  createFederatedIssuer,
  startAuthority,
} from "../../../support/authority/index";
import { type FakeTools, createFakeTools } from "../../../support/cli-fakes/index";
import { azAccessToken, azdAccessToken, helperCredentials } from "../../../support/cli-fakes/outputs";
import { type StartedEmulator, startEmulator } from "../../../support/emulator";
import { exposedTexts, leakedSecrets } from "../../../support/secret-scan";
import { trustAuthority } from "./support";

const PASSWORD = "docker-Password-31f0a9";
const SUBJECT = "system:serviceaccount:apps:secret";
const secrets = new Set<string>([PASSWORD, `${PASSWORD}-old`, Buffer.from(`admin:${PASSWORD}`).toString("base64")]);
const captured: string[] = [];
const logs: RequestLogEntry[] = [];
let authority: LocalAuthority;
let issuer: FederatedIssuer;
let app: TestApp;
let registry: StartedEmulator;
let tools: FakeTools;
let restorePath: () => void;
let dir: string;

/** Remembers every credential and token that goes over the wire, so that the scan covers issued tokens too. */
const recordingFetch = async (input: Request, init?: RequestInit) => {
  const authorization = input.headers.get("authorization");
  if (authorization) secrets.add(authorization.replace(/^(Bearer|Basic) /, ""));
  if (input.method === "POST" && input.body) {
    for (const [key, value] of new URLSearchParams(await input.clone().text()))
      if (/token/.test(key)) secrets.add(value);
  }
  const response = await fetch(input, init);
  if (/\/oauth2\/(token|exchange)/.test(input.url) && response.ok) {
    const body = (await response.clone().json()) as Record<string, unknown>;
    for (const key of ["access_token", "refresh_token"]) if (typeof body[key] === "string") secrets.add(body[key]);
  }
  return response;
};

beforeAll(async () => {
  authority = await startAuthority();
  issuer = createFederatedIssuer();
  app = authority.registerApp({ federatedCredentials: [issuer.credential(SUBJECT)] });
  registry = await startEmulator({ users: { admin: PASSWORD }, validateAadToken: authority.validateToken });
  await registry.emulator.seedImage({ repository: "secret/app", tags: ["v1"] });
  tools = createFakeTools();
  restorePath = tools.usePath({ only: true });
  dir = mkdtempSync(join(tmpdir(), "acrkit-secrets-"));
});
afterAll(async () => {
  restorePath();
  tools.remove();
  rmSync(dir, { recursive: true, force: true });
  await registry.close();
  await authority.close();
});

function secret<T extends string>(value: T): T {
  secrets.add(value);
  return value;
}

/** A few calls with the credential: one that works after auth (a missing tag) and some that may fail on auth. */
async function exercise(credential: RegistryCredential): Promise<void> {
  const client = new ContainerRegistryClient(registry.url, credential, {
    fetch: recordingFetch,
    logger: (entry) => logs.push(entry),
    retry: { limit: 0 },
  });
  for (const run of [
    () => client.getTagProperties("secret/app", "missing"),
    () => client.getRepositoryProperties("secret/app"),
  ]) {
    try {
      captured.push(exposedTexts(await run()).join("\n"));
    } catch (error) {
      captured.push(exposedTexts(error).join("\n"));
    }
  }
}

function dockerConfig(config: unknown): DockerConfigCredential {
  const configPath = join(dir, `config-${captured.length}.json`);
  writeFileSync(configPath, typeof config === "string" ? config : JSON.stringify(config));
  return new DockerConfigCredential({ configPath, requireCredential: true });
}

async function refreshToken(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "access_token",
    service: registry.service,
    access_token: authority.issueAccessToken({ audience: "https://containerregistry.azure.net" }).token,
  });
  const response = await fetch(`${registry.url}/oauth2/exchange`, { method: "POST", body: form });
  return secret(((await response.json()) as { refresh_token: string }).refresh_token);
}

test("no secret appears in any error, field, cause, stack or log line", async () => {
  const host = registry.service;
  const basic = (user: string, password: string) => secret(Buffer.from(`${user}:${password}`).toString("base64"));
  const later = Math.floor(Date.now() / 1000) + 3600;

  // Docker config: right and wrong passwords, identity tokens good and forged, a broken file, helpers.
  await exercise(dockerConfig({ auths: { [host]: { auth: basic("admin", PASSWORD) } } }));
  await exercise(dockerConfig({ auths: { [host]: { auth: basic("admin", `${PASSWORD}-old`) } } }));
  await exercise(dockerConfig({ auths: { [host]: { username: "admin", password: `${PASSWORD}-old` } } }));
  await exercise(dockerConfig({ auths: { [host]: { identitytoken: await refreshToken() } } }));
  await exercise(
    dockerConfig({ auths: { [host]: { identitytoken: secret(`${(await refreshToken()).slice(0, -6)}forged`) } } }),
  );
  await exercise(dockerConfig(`{"auths": {"${host}": {"auth": "${basic("admin", PASSWORD)}"}`));
  await exercise(dockerConfig({ auths: { [host]: { auth: Buffer.from(PASSWORD).toString("base64") } } }));
  tools.install("docker-credential-secrets", helperCredentials(host, "<token>", secret("helper-identity-token-55aa")));
  await exercise(dockerConfig({ credHelpers: { [host]: "secrets" } }));
  tools.install("docker-credential-secrets", { stdout: `{"Username": "admin", "Secret": "${PASSWORD}"`, exitCode: 0 });
  await exercise(dockerConfig({ credHelpers: { [host]: "secrets" } }));
  tools.install("docker-credential-secrets", { stdout: `error with ${PASSWORD}`, stderr: "failed\n", exitCode: 3 });
  await exercise(dockerConfig({ credHelpers: { [host]: "secrets" } }));

  // az and azd: good tokens, tokens the registry refuses, broken output holding a token, failures with stdout.
  tools.install(
    "az",
    azAccessToken(
      authority.issueAccessToken({ audience: "https://containerregistry.azure.net" }).token,
      later,
      authority.tenantId,
    ),
  );
  await exercise(new AzureCliCredential());
  tools.install("az", azAccessToken(secret("eyJhbGciOiJub25lIn0.az-refused-token.sig"), later, authority.tenantId));
  await exercise(new AzureCliCredential());
  tools.install("az", { stdout: `{"accessToken": "${secret("az-half-printed-token-91")}"` });
  await exercise(new AzureCliCredential());
  tools.install("az", { stdout: secret("az-stdout-on-failure-77"), stderr: "ERROR: something\n", exitCode: 2 });
  await exercise(new AzureCliCredential());
  tools.install("azd", azdAccessToken(secret("azd-refused-token-3c3c"), later));
  await exercise(new AzureDeveloperCliCredential());
  tools.install("azd", { stdout: `{"token": "${secret("azd-token-with-bad-expiry")}", "expiresOn": "x"}` });
  await exercise(new AzureDeveloperCliCredential());

  // Federated assertions: accepted, refused (wrong subject, wrong audience), and from a file.
  const good = secret(issuer.mint(SUBJECT));
  await exercise(
    new ClientAssertionCredential(authority.tenantId, app.clientId, async () => good, trustAuthority(authority)),
  );
  const stranger = secret(issuer.mint("system:serviceaccount:apps:stranger"));
  await exercise(
    new ClientAssertionCredential(authority.tenantId, app.clientId, async () => stranger, trustAuthority(authority)),
  );
  const wrongAudience = secret(issuer.mint(SUBJECT, { audience: "https://kubernetes.default.svc" }));
  const tokenFile = join(dir, "token");
  writeFileSync(tokenFile, wrongAudience);
  await exercise(
    new WorkloadIdentityCredential({
      tenantId: authority.tenantId,
      clientId: app.clientId,
      tokenFilePath: tokenFile,
      ...trustAuthority(authority),
    }),
  );

  expect(captured.length).toBe(38);
  expect(logs.length).toBeGreaterThan(30);
  // Tokens were issued and recorded, so the scan covers them.
  expect(secrets.size).toBeGreaterThan(20);
  const texts = [...captured, ...logs.map((entry) => JSON.stringify(entry))];
  expect(leakedSecrets(texts, secrets)).toEqual([]);
  const haystack = texts.join("\n");
  // The calls did fail for the reasons meant, so the scan looked at real errors.
  expect(haystack).toContain("AADSTS70021");
  expect(haystack).toContain("is not valid JSON");
  expect(haystack).toContain("`az` failed with exit code 2: ERROR: something");
});
