/**
 * ManagedIdentityCredential on a VM: IMDS, pointed at the local managed identity endpoint with
 * AZURE_POD_IDENTITY_AUTHORITY_HOST (never the real 169.254.169.254). Its own file because MSAL picks the managed
 * identity source once per process.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { CredentialUnavailableError, ManagedIdentityCredential } from "../../../../src/platform/node/index";
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
  restoreEnv = setIdentityEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint.imdsHost });
  expect(process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});
afterAll(async () => {
  restoreEnv();
  await endpoint.close();
  await authority.close();
});

test("the system-assigned identity gets an ACR token from IMDS", async () => {
  const token = await new ManagedIdentityCredential().getToken(ACR_SCOPE);
  expect(authority.verifyAadToken(token.token)).toMatchObject({ oid: endpoint.systemAssigned.objectId });
  expect(endpoint.requests).toEqual([expect.objectContaining({ endpoint: "imds", status: 200 })]);
});

test("a user-assigned identity by resource id (msi_res_id) and by object id", async () => {
  const byResource = await new ManagedIdentityCredential({ resourceId: endpoint.userAssigned.resourceId }).getToken(
    ACR_SCOPE,
  );
  expect(authority.verifyAadToken(byResource.token)).toMatchObject({ oid: endpoint.userAssigned.objectId });
  const byObject = await new ManagedIdentityCredential({
    objectId: endpoint.userAssigned.objectId,
    probeTimeoutMs: 500,
  }).getToken(ACR_SCOPE);
  expect(authority.verifyAadToken(byObject.token)).toMatchObject({ oid: endpoint.userAssigned.objectId });
});

test("IMDS without that identity makes the credential unavailable (as on a VM without one)", async () => {
  const err = await new ManagedIdentityCredential({ clientId: "11111111-2222-3333-4444-555555555555" })
    .getToken(ACR_SCOPE)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CredentialUnavailableError);
  expect((err as Error).message).toContain(`IMDS at ${endpoint.imdsHost} (AZURE_POD_IDENTITY_AUTHORITY_HOST)`);
  expect((err as Error).message).toContain("Identity not found");
});

test("end to end: the identity's token lists repositories through the emulator's ACR token exchange", async () => {
  expect(await listThroughEmulator(authority, new ManagedIdentityCredential(), "from/managed-identity")).toEqual([
    "from/managed-identity",
  ]);
});
