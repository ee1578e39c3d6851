/**
 * The whole chain for real: local authority → MSAL credential → acrkit client → emulator /oauth2/exchange
 * (validating the AAD token with the authority's keys) → registry.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AuthenticationError,
  ContainerRegistryClient,
  StaticTokenCredential,
  type TokenCredential,
} from "../../../../src/index";
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
} from "../../../../src/platform/node/index";
import { type LocalAuthority, startAuthority } from "../../../support/authority/index";
import { type StartedEmulator, startEmulator } from "../../../support/emulator";
import { trustAuthority, withIdentityEnv } from "./support";

const AUDIENCE = "https://containerregistry.azure.net";

let authority: LocalAuthority;
let registry: StartedEmulator;

beforeAll(async () => {
  authority = await startAuthority({ deviceCodeIntervalSeconds: 0.2 });
  registry = await startEmulator({ validateAadToken: authority.validateToken });
  await registry.emulator.seedImage({ repository: "team/app", tags: ["v1"] });
  await registry.emulator.seedImage({ repository: "hello-world", tags: ["latest"] });
});
afterAll(async () => {
  await registry.close();
  await authority.close();
});

async function repositoryNames(credential: TokenCredential): Promise<string[]> {
  const client = new ContainerRegistryClient(registry.url, credential, { audience: AUDIENCE });
  const names: string[] = [];
  for await (const name of client.listRepositoryNames()) names.push(name);
  return names.sort();
}

function exchanges(status: number): number {
  return registry.emulator.requests.filter((r) => r.path.startsWith("/oauth2/exchange") && r.status === status).length;
}

describe("each credential lists repositories through the ACR token exchange", () => {
  const cases: Array<[string, () => TokenCredential | Promise<TokenCredential>]> = [
    [
      "ClientSecretCredential",
      () =>
        new ClientSecretCredential(
          authority.tenantId,
          authority.apps.secret.clientId,
          authority.apps.secret.clientSecret,
          trustAuthority(authority),
        ),
    ],
    [
      "ClientCertificateCredential (path)",
      () =>
        new ClientCertificateCredential(
          authority.tenantId,
          authority.apps.certificate.clientId,
          { certificatePath: authority.pki.client.path },
          trustAuthority(authority),
        ),
    ],
    [
      "ClientCertificateCredential (PEM)",
      () =>
        new ClientCertificateCredential(
          authority.tenantId,
          authority.apps.certificate.clientId,
          { certificate: authority.pki.client.pem },
          trustAuthority(authority),
        ),
    ],
    [
      "DeviceCodeCredential",
      () =>
        new DeviceCodeCredential(
          authority.tenantId,
          authority.apps.public.clientId,
          (info) => authority.approveDeviceCode(info.userCode, "carol@acrkit.test"),
          trustAuthority(authority),
        ),
    ],
    [
      "EnvironmentCredential",
      () =>
        withIdentityEnv(
          {
            AZURE_TENANT_ID: authority.tenantId,
            AZURE_CLIENT_ID: authority.apps.secret.clientId,
            AZURE_CLIENT_SECRET: authority.apps.secret.clientSecret,
          },
          () => new EnvironmentCredential(trustAuthority(authority)),
        ),
    ],
    [
      "DefaultAzureCredential",
      () =>
        withIdentityEnv(
          {
            AZURE_TENANT_ID: authority.tenantId,
            AZURE_CLIENT_ID: authority.apps.certificate.clientId,
            AZURE_CLIENT_CERTIFICATE_PATH: authority.pki.client.path,
          },
          () => new DefaultAzureCredential(trustAuthority(authority)),
        ),
    ],
  ];

  test.each(cases)("%s", async (_name, make) => {
    const before = exchanges(200);
    expect(await repositoryNames(await make())).toEqual(["hello-world", "team/app"]);
    expect(exchanges(200)).toBe(before + 1);
  });
});

describe("the emulator refuses AAD tokens the authority would not stand behind", () => {
  const refused = async (token: string) => {
    const before = exchanges(401);
    const err = await repositoryNames(new StaticTokenCredential(token)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).statusCode).toBe(401);
    expect(exchanges(401)).toBe(before + 1);
    expect((err as Error).message).not.toContain(token);
  };

  test("an expired token", async () => {
    await refused(authority.issueAccessToken({ audience: AUDIENCE, lifetimeSeconds: -120 }).token);
  });

  test("a token for another audience", async () => {
    await refused(authority.issueAccessToken({ audience: "https://management.azure.com" }).token);
  });

  test("a token signed by another authority", async () => {
    const stranger = await startAuthority({ pki: authority.pki });
    try {
      await refused(stranger.issueAccessToken({ audience: AUDIENCE }).token);
    } finally {
      await stranger.close();
    }
  });

  test("a tampered token", async () => {
    const [header, payload, signature] = authority.issueAccessToken({ audience: AUDIENCE }).token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, oid: "00000000-0000-0000-0000-000000000000" })).toString(
      "base64url",
    );
    await refused(`${header}.${forged}.${signature}`);
  });

  test("while a fresh token from the same authority is accepted", async () => {
    expect(
      await repositoryNames(new StaticTokenCredential(authority.issueAccessToken({ audience: AUDIENCE }).token)),
    ).toEqual(["hello-world", "team/app"]);
  });
});
