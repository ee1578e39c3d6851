/**
 * DefaultAzureCredential's chain in order: Environment → WorkloadIdentity → ManagedIdentity → AzureCli →
 * AzureDeveloperCli, with each link in turn the first that works, configured links that fail stopping the chain,
 * and the aggregate message when none works. Managed identity is IMDS pointed at a loopback port (never
 * 169.254.169.254) that is closed until the last test; `az` and `azd` are fakes, alone on PATH. Its own file
 * because MSAL picks the managed identity source, and caches its tokens, once per process.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  AggregateAuthenticationError,
  CredentialAuthenticationError,
  CredentialUnavailableError,
  DefaultAzureCredential,
} from "../../../../src/platform/node/index";
import {
  type FederatedIssuer,
  type LocalAuthority,
  type TestApp,
  createFederatedIssuer,
  startAuthority,
  startManagedIdentityEndpoint,
} from "../../../support/authority/index";
import { type FakeTools, createFakeTools } from "../../../support/cli-fakes/index";
import { AZD_NOT_LOGGED_IN, AZ_NOT_LOGGED_IN, azAccessToken, azdAccessToken } from "../../../support/cli-fakes/outputs";
import { freePort } from "../../../support/ports";
import { ACR_SCOPE, setIdentityEnv, trustAuthority, withIdentityEnv } from "./support";

const CHAIN = [
  "EnvironmentCredential",
  "WorkloadIdentityCredential",
  "ManagedIdentityCredential",
  "AzureCliCredential",
  "AzureDeveloperCliCredential",
];
const SERVICE_ACCOUNT = "system:serviceaccount:apps:chain";
let authority: LocalAuthority;
let tools: FakeTools;
let cluster: FederatedIssuer;
let workloadApp: TestApp;
let imdsPort: number;
let dir: string;
let restore: Array<() => void>;

beforeAll(async () => {
  authority = await startAuthority();
  cluster = createFederatedIssuer();
  workloadApp = authority.registerApp({ federatedCredentials: [cluster.credential(SERVICE_ACCOUNT)] });
  tools = createFakeTools();
  imdsPort = await freePort();
  dir = mkdtempSync(join(tmpdir(), "acrkit-chain-"));
  restore = [
    tools.usePath({ only: true }),
    setIdentityEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${imdsPort}` }),
  ];
});
afterAll(async () => {
  for (const undo of restore.reverse()) undo();
  tools.remove();
  rmSync(dir, { recursive: true, force: true });
  await authority.close();
});

/** A chain built with the given identity variables (each credential reads them at construction). */
function chain(env: Parameters<typeof setIdentityEnv>[0] = {}): DefaultAzureCredential {
  return withIdentityEnv(
    { AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${imdsPort}`, ...env },
    () => new DefaultAzureCredential(trustAuthority(authority)),
  );
}

function loggedOut(): void {
  tools.install("az", AZ_NOT_LOGGED_IN);
  tools.install("azd", AZD_NOT_LOGGED_IN);
}

function issued(): string {
  return authority.issueAccessToken({ audience: "https://containerregistry.azure.net" }).token;
}

async function aggregate(credential: DefaultAzureCredential): Promise<AggregateAuthenticationError> {
  const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AggregateAuthenticationError);
  return err as AggregateAuthenticationError;
}

function workloadEnv(subject: string) {
  const tokenFile = join(dir, `token-${subject.replace(/\W/g, "-")}`);
  writeFileSync(tokenFile, cluster.mint(subject));
  return {
    AZURE_TENANT_ID: authority.tenantId,
    AZURE_CLIENT_ID: workloadApp.clientId,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
  };
}

test("when nothing works, the aggregate lists every link's reason, in order", async () => {
  loggedOut();
  const err = await aggregate(chain());
  expect(err.attempts.map((a) => a.credentialName)).toEqual(CHAIN);
  expect(err.errors.every((e) => e instanceof CredentialUnavailableError)).toBe(true);
  const lines = err.message.split("\n");
  expect(lines[0]).toBe("DefaultAzureCredential failed to get a token. Tried:");
  expect(lines[1]).toMatch(
    /^- EnvironmentCredential: EnvironmentCredential is unavailable: environment variables are not set: AZURE_TENANT_ID/,
  );
  expect(lines[2]).toBe(
    "- WorkloadIdentityCredential: WorkloadIdentityCredential is unavailable: not configured: tenantId (AZURE_TENANT_ID), clientId (AZURE_CLIENT_ID), tokenFilePath (AZURE_FEDERATED_TOKEN_FILE) not set",
  );
  expect(lines[3]).toMatch(
    new RegExp(
      `^- ManagedIdentityCredential: .*no managed identity endpoint answered: tried IMDS at http://127\\.0\\.0\\.1:${imdsPort}`,
    ),
  );
  expect(lines[4]).toBe(
    "- AzureCliCredential: AzureCliCredential is unavailable: not signed in to `az`: run `az login`",
  );
  expect(lines[5]).toBe(
    "- AzureDeveloperCliCredential: AzureDeveloperCliCredential is unavailable: not signed in to `azd`: run `azd auth login`",
  );
  expect(lines).toHaveLength(6);
});

test("azd is the last resort", async () => {
  loggedOut();
  const token = issued();
  tools.install("azd", azdAccessToken(token, Math.floor(Date.now() / 1000) + 3600));
  expect((await chain().getToken(ACR_SCOPE)).token).toBe(token);
});

test("az comes before azd, and the chosen link is kept", async () => {
  loggedOut();
  const token = issued();
  tools.install("az", azAccessToken(token, Math.floor(Date.now() / 1000) + 3600, authority.tenantId));
  tools.install("azd", azdAccessToken("azd-should-not-be-asked", Math.floor(Date.now() / 1000) + 3600));
  const azdBefore = tools.calls("azd").length;
  const credential = chain();
  expect((await credential.getToken(ACR_SCOPE)).token).toBe(token);
  expect((await credential.getToken(ACR_SCOPE)).token).toBe(token);
  expect(tools.calls("azd").length).toBe(azdBefore);
});

test("workload identity comes before managed identity and the tools", async () => {
  loggedOut();
  const azBefore = tools.calls("az").length;
  const token = await chain(workloadEnv(SERVICE_ACCOUNT)).getToken(ACR_SCOPE);
  expect(authority.verifyAadToken(token.token)).toMatchObject({ appid: workloadApp.clientId });
  expect(tools.calls("az").length).toBe(azBefore);
});

test("a configured workload identity that is refused stops the chain", async () => {
  tools.install("az", azAccessToken(issued(), Math.floor(Date.now() / 1000) + 3600, authority.tenantId));
  const azBefore = tools.calls("az").length;
  const err = await aggregate(chain(workloadEnv("system:serviceaccount:apps:stranger")));
  expect(err.attempts.map((a) => a.credentialName)).toEqual(["EnvironmentCredential", "WorkloadIdentityCredential"]);
  expect(err.errors[1]).toBeInstanceOf(CredentialAuthenticationError);
  expect(err.message).toContain("AADSTS70021");
  expect(tools.calls("az").length).toBe(azBefore);
});

test("the environment comes first, and a wrong secret there stops the chain", async () => {
  const env = {
    AZURE_TENANT_ID: authority.tenantId,
    AZURE_CLIENT_ID: authority.apps.secret.clientId,
    AZURE_CLIENT_SECRET: authority.apps.secret.clientSecret,
  };
  const token = await chain({
    ...env,
    ...workloadEnv(SERVICE_ACCOUNT),
    AZURE_CLIENT_ID: authority.apps.secret.clientId,
  }).getToken(ACR_SCOPE);
  expect(authority.verifyAadToken(token.token)).toMatchObject({ appid: authority.apps.secret.clientId });
  const err = await aggregate(chain({ ...env, AZURE_CLIENT_SECRET: "Sec~wrong-secret-value" }));
  expect(err.attempts.map((a) => a.credentialName)).toEqual(["EnvironmentCredential"]);
  expect(err.message).not.toContain("Sec~wrong-secret-value");
});

// Last: MSAL caches managed identity tokens process-wide, so once one was issued, managed identity stays available.
test("managed identity comes before the tools", async () => {
  tools.install(
    "az",
    azAccessToken("az-should-not-be-asked", Math.floor(Date.now() / 1000) + 3600, authority.tenantId),
  );
  const azBefore = tools.calls("az").length;
  const endpoint = await startManagedIdentityEndpoint(authority, { port: imdsPort });
  try {
    const token = await chain().getToken(ACR_SCOPE);
    expect(authority.verifyAadToken(token.token)).toMatchObject({ oid: endpoint.systemAssigned.objectId });
    expect(tools.calls("az").length).toBe(azBefore);
  } finally {
    await endpoint.close();
  }
});
