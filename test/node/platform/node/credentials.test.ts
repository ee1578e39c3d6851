/**
 * End-to-end tests of the MSAL-node credentials against the local authority, with real MSAL, over HTTPS.
 * Managed identity lives in its own files: MSAL caches the managed identity source per process.
 */
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  AggregateAuthenticationError,
  AuthenticationError,
  ClientCertificateCredential,
  CredentialAuthenticationError,
  ClientSecretCredential,
  CredentialUnavailableError,
  DefaultAzureCredential,
  DeviceCodeCredential,
  type DeviceCodeInfo,
  EnvironmentCredential,
} from "../../../../src/platform/node/index";
import { type LocalAuthority, createTestPki, startAuthority } from "../../../support/authority/index";
import { ACR_SCOPE, setIdentityEnv, sleep, trustAuthority } from "./support";

/** Just above MSAL's 300 s renewal margin: tokens count as fresh for about 2 s, then MSAL renews them. */
const SHORT_LIFETIME = 302;
const PAST_SHORT_LIFETIME_MS = 4100;

let authority: LocalAuthority;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  authority = await startAuthority({ deviceCodeIntervalSeconds: 0.2 });
});
afterAll(() => authority.close());
afterEach(() => {
  restoreEnv?.();
  restoreEnv = undefined;
});

/** Asserts an error and everything reachable from it (cause included) never shows a secret. */
function expectNoSecret(err: unknown, ...secrets: string[]) {
  const everything = `${String(err)}\n${inspect(err, { depth: 10, showHidden: true })}\n${JSON.stringify(err)}`;
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe("ClientSecretCredential", () => {
  test("gets an ACR token the authority verifies, then serves it from MSAL's cache", async () => {
    const app = authority.apps.secret;
    const credential = new ClientSecretCredential(
      authority.tenantId,
      app.clientId,
      app.clientSecret,
      trustAuthority(authority),
    );
    authority.clearRequests();
    const first = await credential.getToken(ACR_SCOPE);
    const claims = authority.verifyAadToken(first.token);
    expect(claims).toMatchObject({
      aud: "https://containerregistry.azure.net",
      tid: authority.tenantId,
      azp: app.clientId,
      roles: ["AcrPull", "AcrPush"],
    });
    expect(first.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3500_000);
    expect(authority.tokenRequests()).toHaveLength(1);
    expect(authority.tokenRequests()[0]).toMatchObject({
      grantType: "client_credentials",
      clientId: app.clientId,
      status: 200,
    });

    const second = await credential.getToken([ACR_SCOPE]);
    expect(second.token).toBe(first.token);
    expect(authority.tokenRequests()).toHaveLength(1);
    // The authority host was trusted as given: no instance discovery anywhere.
    expect(authority.requests.some((r) => r.endpoint === "instance-discovery")).toBe(false);
  });

  test("renews the token once MSAL considers it expired", async () => {
    // MSAL renews 300 s before expiry (whole seconds), so 302 s is "fresh" for about 2 s.
    const app = authority.registerApp({ clientSecret: true, tokenLifetimeSeconds: SHORT_LIFETIME });
    const credential = new ClientSecretCredential(
      authority.tenantId,
      app.clientId,
      app.clientSecret as string,
      trustAuthority(authority),
    );
    authority.clearRequests();
    const first = await credential.getToken(ACR_SCOPE);
    expect((await credential.getToken(ACR_SCOPE)).token).toBe(first.token);
    expect(authority.tokenRequests()).toHaveLength(1);
    await sleep(PAST_SHORT_LIFETIME_MS);
    const renewed = await credential.getToken(ACR_SCOPE);
    expect(renewed.token).not.toBe(first.token);
    expect(authority.tokenRequests()).toHaveLength(2);
    expect(authority.validateToken(renewed.token)).toBe(true);
  });

  test("a wrong secret is an AuthenticationError that never shows either secret", async () => {
    const app = authority.apps.secret;
    const wrong = "Sec~wrong-secret-value-0123456789";
    const credential = new ClientSecretCredential(authority.tenantId, app.clientId, wrong, trustAuthority(authority));
    const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ credentialName: "ClientSecretCredential", errorCode: "invalid_client" });
    expect((err as Error).message).toMatch(/ClientSecretCredential authentication failed: .*AADSTS7000215/);
    expect((err as Error).cause).toBeDefined();
    expectNoSecret(err, wrong, app.clientSecret);
    expectNoSecret(credential, wrong);
  });

  test("an unknown tenant and an unknown app are AuthenticationErrors", async () => {
    const app = authority.apps.secret;
    const badTenant = new ClientSecretCredential(
      "not-a-tenant",
      app.clientId,
      app.clientSecret,
      trustAuthority(authority),
    );
    await expect(badTenant.getToken(ACR_SCOPE)).rejects.toBeInstanceOf(AuthenticationError);
    const badApp = new ClientSecretCredential(
      authority.tenantId,
      "00000000-1111-2222-3333-444444444444",
      app.clientSecret,
      trustAuthority(authority),
    );
    const err = await badApp.getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toMatchObject({ errorCode: "unauthorized_client" });
    expectNoSecret(err, app.clientSecret);
  });

  test("without trusting the authority's CA, TLS fails (the trust options are really what makes it work)", async () => {
    const app = authority.apps.secret;
    const credential = new ClientSecretCredential(authority.tenantId, app.clientId, app.clientSecret, {
      authorityHost: authority.url,
      disableInstanceDiscovery: true,
    });
    const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expectNoSecret(err, app.clientSecret);
  });

  test("rejects bad input before any request", () => {
    expect(() => new ClientSecretCredential("tenant/../x", "id", "secret")).toThrow(TypeError);
    expect(() => new ClientSecretCredential("tenant", "", "secret")).toThrow(TypeError);
    expect(() => new ClientSecretCredential("tenant", "id", "")).toThrow(TypeError);
    expect(() => new ClientSecretCredential("tenant", "id", "s", { authorityHost: "http://127.0.0.1:1" })).toThrow(
      TypeError,
    );
  });
});

describe("ClientCertificateCredential", () => {
  const app = () => authority.apps.certificate;

  test("signs a client assertion from a PEM file (certificatePath) that the authority verifies", async () => {
    const credential = new ClientCertificateCredential(
      authority.tenantId,
      app().clientId,
      { certificatePath: authority.pki.client.path },
      trustAuthority(authority),
    );
    authority.clearRequests();
    const token = await credential.getToken(ACR_SCOPE);
    expect(authority.verifyAadToken(token.token)).toMatchObject({ azp: app().clientId, oid: app().objectId });
    expect(authority.tokenRequests()).toEqual([
      expect.objectContaining({ grantType: "client_credentials", status: 200 }),
    ]);
    await credential.getToken(ACR_SCOPE);
    expect(authority.tokenRequests()).toHaveLength(1);
  });

  test("takes the PEM text too, and can send the certificate chain", async () => {
    const credential = new ClientCertificateCredential(
      authority.tenantId,
      app().clientId,
      { certificate: authority.pki.client.pem },
      {
        ...trustAuthority(authority),
        sendCertificateChain: true,
      },
    );
    expect(authority.validateToken((await credential.getToken(ACR_SCOPE)).token)).toBe(true);
  });

  test("a certificate the app does not know is refused, and the private key never shows", async () => {
    const other = createTestPki().client;
    const credential = new ClientCertificateCredential(
      authority.tenantId,
      app().clientId,
      { certificate: other.pem },
      trustAuthority(authority),
    );
    const err = await credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ errorCode: "invalid_client" });
    const keyBody = other.pem.split("\n").slice(1, 4).join("\n");
    expectNoSecret(err, keyBody);
  });

  test("a missing file or a PEM without a key makes the credential unavailable", async () => {
    const missing = new ClientCertificateCredential(
      authority.tenantId,
      app().clientId,
      { certificatePath: "/nonexistent/cert.pem" },
      trustAuthority(authority),
    );
    await expect(missing.getToken(ACR_SCOPE)).rejects.toBeInstanceOf(CredentialUnavailableError);
    const noKey = new ClientCertificateCredential(
      authority.tenantId,
      app().clientId,
      { certificate: authority.pki.client.certificatePem },
      trustAuthority(authority),
    );
    await expect(noKey.getToken(ACR_SCOPE)).rejects.toThrow(/private key and a certificate/);
    expect(() => new ClientCertificateCredential("t", "c", {} as never)).toThrow(TypeError);
  });
});

describe("DeviceCodeCredential", () => {
  test("shows the code, waits while authorization is pending, then signs the user in", async () => {
    const prompts: DeviceCodeInfo[] = [];
    const credential = new DeviceCodeCredential(
      authority.tenantId,
      authority.apps.public.clientId,
      (info) => prompts.push(info),
      trustAuthority(authority),
    );
    authority.clearRequests();
    const pendingToken = credential.getToken(ACR_SCOPE);
    const code = await authority.waitForDeviceCode();
    // Let MSAL poll at least once before the user "approves".
    while (!authority.tokenRequests().some((r) => r.status === 400)) await sleep(50);
    authority.approveDeviceCode(code.userCode, "alice@acrkit.test");
    const token = await pendingToken;

    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ userCode: code.userCode, verificationUri: `${authority.url}/devicelogin` });
    expect(prompts[0].message).toContain(code.userCode);
    expect(authority.verifyAadToken(token.token)).toMatchObject({
      preferred_username: "alice@acrkit.test",
      scp: "user_impersonation",
    });
    expect(authority.tokenRequests()[0]).toMatchObject({ status: 400, grantType: "device_code" });

    const again = await credential.getToken(ACR_SCOPE);
    expect(again.token).toBe(token.token);
    expect(authority.requests.filter((r) => r.endpoint === "devicecode")).toHaveLength(1);
  });

  test("renews silently with the refresh token after expiry, without asking the user again", async () => {
    const app = authority.registerApp({ publicClient: true, tokenLifetimeSeconds: SHORT_LIFETIME });
    let prompts = 0;
    const credential = new DeviceCodeCredential(
      authority.tenantId,
      app.clientId,
      () => prompts++,
      trustAuthority(authority),
    );
    const pendingToken = credential.getToken(ACR_SCOPE);
    authority.approveDeviceCode((await authority.waitForDeviceCode()).userCode, "bob@acrkit.test");
    const first = await pendingToken;
    authority.clearRequests();
    await sleep(PAST_SHORT_LIFETIME_MS);
    const renewed = await credential.getToken(ACR_SCOPE);
    expect(renewed.token).not.toBe(first.token);
    expect(prompts).toBe(1);
    expect(authority.tokenRequests()).toEqual([expect.objectContaining({ grantType: "refresh_token", status: 200 })]);
    expect(authority.requests.some((r) => r.endpoint === "devicecode")).toBe(false);
  });

  test("concurrent calls share one sign-in", async () => {
    const app = authority.registerApp({ publicClient: true });
    const credential = new DeviceCodeCredential(
      authority.tenantId,
      app.clientId,
      () => undefined,
      trustAuthority(authority),
    );
    authority.clearRequests();
    const calls = [credential.getToken(ACR_SCOPE), credential.getToken(ACR_SCOPE), credential.getToken(ACR_SCOPE)];
    authority.approveDeviceCode((await authority.waitForDeviceCode()).userCode);
    const tokens = await Promise.all(calls);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(authority.requests.filter((r) => r.endpoint === "devicecode")).toHaveLength(1);
  });

  test("a declined sign-in is an AuthenticationError", async () => {
    const credential = new DeviceCodeCredential(
      authority.tenantId,
      authority.apps.public.clientId,
      () => undefined,
      trustAuthority(authority),
    );
    const pendingToken = credential.getToken(ACR_SCOPE).catch((e: unknown) => e);
    authority.declineDeviceCode((await authority.waitForDeviceCode()).userCode);
    const err = await pendingToken;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toBeInstanceOf(CredentialAuthenticationError);
    expect((err as CredentialAuthenticationError).credentialName).toBe("DeviceCodeCredential");
  });
});

describe("EnvironmentCredential", () => {
  test("uses AZURE_CLIENT_SECRET with AZURE_AUTHORITY_HOST", async () => {
    const app = authority.apps.secret;
    restoreEnv = setIdentityEnv({
      AZURE_TENANT_ID: authority.tenantId,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
      AZURE_AUTHORITY_HOST: authority.url,
    });
    const credential = new EnvironmentCredential({ disableInstanceDiscovery: true, caCertificates: authority.caPem });
    expect(authority.verifyAadToken((await credential.getToken(ACR_SCOPE)).token)).toMatchObject({ azp: app.clientId });
  });

  test("uses AZURE_CLIENT_CERTIFICATE_PATH", async () => {
    restoreEnv = setIdentityEnv({
      AZURE_TENANT_ID: authority.tenantId,
      AZURE_CLIENT_ID: authority.apps.certificate.clientId,
      AZURE_CLIENT_CERTIFICATE_PATH: authority.pki.client.path,
      AZURE_AUTHORITY_HOST: authority.url,
    });
    const credential = new EnvironmentCredential({ disableInstanceDiscovery: true, caCertificates: authority.caPem });
    expect(authority.verifyAadToken((await credential.getToken(ACR_SCOPE)).token)).toMatchObject({
      azp: authority.apps.certificate.clientId,
    });
  });

  test("is unavailable, naming the missing variables, when not configured", async () => {
    restoreEnv = setIdentityEnv({ AZURE_TENANT_ID: authority.tenantId });
    const err = await new EnvironmentCredential().getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialUnavailableError);
    expect((err as Error).message).toContain("AZURE_CLIENT_ID");
    expect((err as Error).message).toContain("AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH");
  });
});

describe("DefaultAzureCredential", () => {
  test("succeeds through the environment", async () => {
    const app = authority.apps.secret;
    restoreEnv = setIdentityEnv({
      AZURE_TENANT_ID: authority.tenantId,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
    });
    const credential = new DefaultAzureCredential(trustAuthority(authority));
    const token = await credential.getToken(ACR_SCOPE);
    expect(authority.validateToken(token.token)).toBe(true);
    expect((await credential.getToken(ACR_SCOPE)).token).toBe(token.token);
  });

  test("a configured but wrong environment credential stops the chain with one error and no secret", async () => {
    const wrong = "Sec~definitely-wrong-secret-abcdef";
    restoreEnv = setIdentityEnv({
      AZURE_TENANT_ID: authority.tenantId,
      AZURE_CLIENT_ID: authority.apps.secret.clientId,
      AZURE_CLIENT_SECRET: wrong,
    });
    const err = await new DefaultAzureCredential(trustAuthority(authority))
      .getToken(ACR_SCOPE)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateAuthenticationError);
    const aggregate = err as AggregateAuthenticationError;
    expect(aggregate.attempts.map((a) => a.credentialName)).toEqual(["EnvironmentCredential"]);
    expect(aggregate.errors[0]).toBeInstanceOf(AuthenticationError);
    expect(aggregate.message).toContain("invalid_client");
    expectNoSecret(err, wrong);
  });
});
