/**
 * @azure/identity compatibility: its ClientSecretCredential, pointed at the local authority, works unchanged with
 * ContainerRegistryClient (the core only needs `getToken(scopes, options)`).
 */
import { ClientSecretCredential as AzureIdentityClientSecretCredential } from "@azure/identity";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type LocalAuthority, startAuthority } from "../../../support/authority/index";
import { listThroughEmulator } from "./support";

let authority: LocalAuthority;

beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(() => authority.close());

test("an @azure/identity ClientSecretCredential lists repositories through the emulator's ACR token exchange", async () => {
  const credential = new AzureIdentityClientSecretCredential(
    authority.tenantId,
    authority.apps.secret.clientId,
    authority.apps.secret.clientSecret,
    {
      authorityHost: authority.url,
      disableInstanceDiscovery: true,
      // @azure/core-rest-pipeline's TLS settings: the in-process equivalent of NODE_EXTRA_CA_CERTS.
      tlsOptions: { ca: authority.caPem },
    },
  );
  authority.clearRequests();
  expect(await listThroughEmulator(authority, credential, "azure/identity")).toEqual(["azure/identity"]);
  expect(authority.tokenRequests()).toEqual([
    expect.objectContaining({ grantType: "client_credentials", clientId: authority.apps.secret.clientId, status: 200 }),
  ]);
  expect(authority.requests.some((r) => r.endpoint === "instance-discovery")).toBe(false);
});
