/**
 * ManagedIdentityCredential on App Service / Functions / Container Apps: IDENTITY_ENDPOINT + IDENTITY_HEADER
 * pointing at the local managed identity endpoint. Its own file because MSAL picks the managed identity source
 * once per process.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { AuthenticationError, ManagedIdentityCredential } from "../../../../src/platform/node/index";
import {
  type LocalAuthority,
  type ManagedIdentityEndpoint,
  startAuthority,
  startManagedIdentityEndpoint,
} from "../../../support/authority/index";
import { ACR_SCOPE, listThroughEmulator, setIdentityEnv } from "./support";

let authority: LocalAuthority;
let endpoint: ManagedIdentityEndpoint;
let restoreEnv: () => void;

beforeAll(async () => {
  authority = await startAuthority();
  endpoint = await startManagedIdentityEndpoint(authority);
  restoreEnv = setIdentityEnv({
    IDENTITY_ENDPOINT: endpoint.identityEndpoint,
    IDENTITY_HEADER: endpoint.identityHeader,
  });
});
afterAll(async () => {
  restoreEnv();
  await endpoint.close();
  await authority.close();
});

test("the system-assigned identity gets an ACR token, cached by MSAL", async () => {
  const credential = new ManagedIdentityCredential();
  const token = await credential.getToken(ACR_SCOPE);
  expect(authority.verifyAadToken(token.token)).toMatchObject({
    oid: endpoint.systemAssigned.objectId,
    aud: "https://containerregistry.azure.net",
  });
  expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000);
  expect(endpoint.requests).toEqual([expect.objectContaining({ endpoint: "app-service", status: 200 })]);
  expect((await new ManagedIdentityCredential().getToken(ACR_SCOPE)).token).toBe(token.token);
  expect(endpoint.requests).toHaveLength(1);
});

test("a user-assigned identity by client id (string or option) or by resource id", async () => {
  const byString = await new ManagedIdentityCredential(endpoint.userAssigned.clientId).getToken(ACR_SCOPE);
  expect(authority.verifyAadToken(byString.token)).toMatchObject({ oid: endpoint.userAssigned.objectId });
  const byOption = await new ManagedIdentityCredential({ clientId: endpoint.userAssigned.clientId }).getToken(
    ACR_SCOPE,
  );
  expect(byOption.token).toBe(byString.token);
  const byResource = await new ManagedIdentityCredential({ resourceId: endpoint.userAssigned.resourceId }).getToken(
    ACR_SCOPE,
  );
  expect(authority.verifyAadToken(byResource.token)).toMatchObject({ oid: endpoint.userAssigned.objectId });
});

test("an identity the resource does not have is an AuthenticationError naming the endpoint", async () => {
  const err = await new ManagedIdentityCredential({ clientId: "11111111-2222-3333-4444-555555555555" })
    .getToken(ACR_SCOPE)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AuthenticationError);
  expect((err as Error).message).toContain(endpoint.identityEndpoint);
  expect((err as Error).message).not.toContain(endpoint.identityHeader);
});

test("takes exactly one scope and at most one identity", async () => {
  await expect(
    new ManagedIdentityCredential().getToken([ACR_SCOPE, "https://management.azure.com/.default"]),
  ).rejects.toThrow(TypeError);
  expect(() => new ManagedIdentityCredential({ clientId: "a", resourceId: "b" })).toThrow(TypeError);
});

test("end to end: the identity's token lists repositories through the emulator's ACR token exchange", async () => {
  expect(await listThroughEmulator(authority, new ManagedIdentityCredential(), "from/managed-identity")).toEqual([
    "from/managed-identity",
  ]);
});
