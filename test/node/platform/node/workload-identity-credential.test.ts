/**
 * WorkloadIdentityCredential and ClientAssertionCredential against the local authority's federated identity
 * credentials: a projected token file that rotates between token requests, and a GitHub Actions-style OIDC token
 * service on loopback.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AuthenticationError,
  ClientAssertionCredential,
  CredentialAuthenticationError,
  CredentialUnavailableError,
  WorkloadIdentityCredential,
} from "../../../../src/platform/node/index";
import {
  type FederatedIssuer,
  type LocalAuthority,
  type TestApp,
  createFederatedIssuer,
  startAuthority,
} from "../../../support/authority/index";
import { ACR_SCOPE, listThroughEmulator, trustAuthority, withIdentityEnv } from "./support";

const SERVICE_ACCOUNT = "system:serviceaccount:apps:pusher";
const GITHUB_SUBJECT = "repo:acrkit/acrkit:ref:refs/heads/main";
let authority: LocalAuthority;
let cluster: FederatedIssuer;
let github: FederatedIssuer;
let workloadApp: TestApp;
let githubApp: TestApp;
let dir: string;
let tokenFile: string;

beforeAll(async () => {
  authority = await startAuthority();
  cluster = createFederatedIssuer();
  github = createFederatedIssuer();
  workloadApp = authority.registerApp({ federatedCredentials: [cluster.credential(SERVICE_ACCOUNT)] });
  githubApp = authority.registerApp({ federatedCredentials: [github.credential(GITHUB_SUBJECT)] });
  dir = mkdtempSync(join(tmpdir(), "acrkit-workload-"));
  tokenFile = join(dir, "azure-identity-token");
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await authority.close();
});

/** The variables the AKS workload identity webhook sets, pointing at the local authority. */
function webhookEnv(clientId = workloadApp.clientId) {
  return {
    AZURE_TENANT_ID: authority.tenantId,
    AZURE_CLIENT_ID: clientId,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    AZURE_AUTHORITY_HOST: authority.url,
  };
}
const trust = () => ({ disableInstanceDiscovery: true, caCertificates: authority.caPem });

describe("WorkloadIdentityCredential", () => {
  test("reads the webhook's variables and signs in with the projected token", async () => {
    writeFileSync(tokenFile, cluster.mint(SERVICE_ACCOUNT));
    const credential = withIdentityEnv(webhookEnv(), () => new WorkloadIdentityCredential(trust()));
    const token = await credential.getToken(ACR_SCOPE);
    expect(authority.verifyAadToken(token.token)).toMatchObject({
      appid: workloadApp.clientId,
      oid: workloadApp.objectId,
    });
  });

  test("re-reads the token file for every token request, because it rotates", async () => {
    // Tokens shorter-lived than MSAL's 5-minute renewal margin make every getToken go to the authority.
    authority.tokenLifetimeSeconds = 200;
    try {
      writeFileSync(tokenFile, cluster.mint(SERVICE_ACCOUNT));
      const credential = withIdentityEnv(webhookEnv(), () => new WorkloadIdentityCredential(trust()));
      authority.clearRequests();
      await credential.getToken(ACR_SCOPE);
      // The kubelet rotated the file: now it holds a token for another service account, which the app does not trust.
      const rotated = cluster.mint("system:serviceaccount:apps:other");
      writeFileSync(tokenFile, rotated);
      const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CredentialAuthenticationError);
      expect((err as Error).message).toContain("No matching federated identity record found");
      expect((err as Error).message).not.toContain(rotated);
      writeFileSync(tokenFile, `${cluster.mint(SERVICE_ACCOUNT)}\n`);
      await credential.getToken(ACR_SCOPE);
      expect(authority.tokenRequests().map((r) => r.status)).toEqual([200, 401, 200]);
    } finally {
      authority.tokenLifetimeSeconds = 3600;
    }
  });

  test("options win over the variables", async () => {
    const other = join(dir, "other-token");
    writeFileSync(other, cluster.mint(SERVICE_ACCOUNT));
    const credential = withIdentityEnv(
      { AZURE_CLIENT_ID: "not-this-one", AZURE_FEDERATED_TOKEN_FILE: "/nowhere" },
      () =>
        new WorkloadIdentityCredential({
          tenantId: authority.tenantId,
          clientId: workloadApp.clientId,
          tokenFilePath: other,
          ...trustAuthority(authority),
        }),
    );
    expect(authority.verifyAadToken((await credential.getToken(ACR_SCOPE)).token)).toMatchObject({
      appid: workloadApp.clientId,
    });
  });

  test("without configuration it is unavailable and says what is missing", async () => {
    const credential = withIdentityEnv({ AZURE_TENANT_ID: authority.tenantId }, () => new WorkloadIdentityCredential());
    const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialUnavailableError);
    expect((err as Error).message).toBe(
      "WorkloadIdentityCredential is unavailable: not configured: clientId (AZURE_CLIENT_ID), tokenFilePath (AZURE_FEDERATED_TOKEN_FILE) not set",
    );
  });

  test("a configured token file that cannot be read is an authentication failure naming the file", async () => {
    const credential = new WorkloadIdentityCredential({
      ...trustAuthority(authority),
      tenantId: authority.tenantId,
      clientId: workloadApp.clientId,
      tokenFilePath: join(dir, "missing"),
    });
    const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialAuthenticationError);
    expect((err as Error).message).toContain(`cannot read the federated token file ${join(dir, "missing")} (ENOENT)`);
  });

  test("end to end: the pod's identity lists repositories through the emulator", async () => {
    writeFileSync(tokenFile, cluster.mint(SERVICE_ACCOUNT));
    const credential = withIdentityEnv(webhookEnv(), () => new WorkloadIdentityCredential(trust()));
    expect(await listThroughEmulator(authority, credential, "from/workload-identity")).toEqual([
      "from/workload-identity",
    ]);
  });
});

describe("ClientAssertionCredential", () => {
  let actions: Server;
  let requestUrl: string;
  const REQUEST_TOKEN = "actions-request-token-5a4b3c";

  beforeAll(async () => {
    // GitHub Actions' OIDC token service: a bearer request token, the audience in the query, `{ value }` back.
    actions = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.headers.authorization !== `bearer ${REQUEST_TOKEN}`) return void res.writeHead(401).end();
      const audience = url.searchParams.get("audience") ?? "https://github.com/acrkit";
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ count: 1, value: github.mint(GITHUB_SUBJECT, { audience }) }));
    });
    await new Promise<void>((resolve) => actions.listen(0, "127.0.0.1", resolve));
    requestUrl = `http://127.0.0.1:${(actions.address() as AddressInfo).port}/_apis/distributedtask/token?api-version=2.0`;
  });
  afterAll(() => new Promise<void>((resolve) => actions.close(() => resolve())));

  /** The README's GitHub Actions example, reading the variables the runner sets. */
  function githubOidcAssertion(env: { url: string; token: string }) {
    return async () => {
      const response = await fetch(`${env.url}&audience=api://AzureADTokenExchange`, {
        headers: { authorization: `bearer ${env.token}` },
      });
      if (!response.ok) throw new Error(`the OIDC token request failed with ${response.status}`);
      return ((await response.json()) as { value: string }).value;
    };
  }

  test("a GitHub Actions OIDC token signs in and pushes through the emulator", async () => {
    const credential = new ClientAssertionCredential(
      authority.tenantId,
      githubApp.clientId,
      githubOidcAssertion({ url: requestUrl, token: REQUEST_TOKEN }),
      trustAuthority(authority),
    );
    expect(authority.verifyAadToken((await credential.getToken(ACR_SCOPE)).token)).toMatchObject({
      appid: githubApp.clientId,
    });
    expect(await listThroughEmulator(authority, credential, "from/github-actions")).toEqual(["from/github-actions"]);
  });

  test("an assertion for the wrong audience is refused without repeating it", async () => {
    const assertion = github.mint(GITHUB_SUBJECT, { audience: "https://github.com/acrkit" });
    const err = await new ClientAssertionCredential(
      authority.tenantId,
      githubApp.clientId,
      async () => assertion,
      trustAuthority(authority),
    )
      .getToken(ACR_SCOPE)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as CredentialAuthenticationError).errorCode).toBe("invalid_client");
    expect((err as Error).message).toContain("AADSTS70021");
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain(assertion);
  });

  test("a failing getAssertion is an authentication failure with its reason", async () => {
    const credential = new ClientAssertionCredential(
      authority.tenantId,
      githubApp.clientId,
      githubOidcAssertion({ url: requestUrl, token: "wrong" }),
      trustAuthority(authority),
    );
    const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialAuthenticationError);
    expect((err as Error).message).toContain("the OIDC token request failed with 401");
  });

  test("bad arguments are TypeErrors", () => {
    expect(() => new ClientAssertionCredential("bad tenant", "c", async () => "x")).toThrow(/"bad tenant"/);
    expect(() => new ClientAssertionCredential(authority.tenantId, "", async () => "x")).toThrow(TypeError);
    expect(() => new ClientAssertionCredential(authority.tenantId, "c", "x" as never)).toThrow(/getAssertion/);
  });
});
