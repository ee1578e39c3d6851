/**
 * DefaultAzureCredential when nothing works: no AZURE_* variables, no `az` or `azd` on PATH, and IMDS (pointed at loopback with
 * AZURE_POD_IDENTITY_AUTHORITY_HOST, never the real 169.254.169.254) first silent, then closed, then without an
 * identity. Its own file because MSAL picks the managed identity source once per process; the cases run in that
 * order because MSAL also keeps the first network client.
 */
import { type Server, type Socket, createServer } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  AggregateAuthenticationError,
  CredentialUnavailableError,
  DefaultAzureCredential,
} from "../../../../src/platform/node/index";
import { type LocalAuthority, startAuthority, startManagedIdentityEndpoint } from "../../../support/authority/index";
import { type FakeTools, createFakeTools } from "../../../support/cli-fakes/index";
import { ACR_SCOPE, setIdentityEnv } from "./support";

let authority: LocalAuthority;
let silent: Server;
const sockets = new Set<Socket>();
let port: number;
let restoreEnv: () => void;
let noTools: FakeTools;
let restorePath: () => void;

beforeAll(async () => {
  authority = await startAuthority();
  // Accepts connections and never answers: what a firewalled link-local address looks like.
  silent = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  port = (silent.address() as { port: number }).port;
  restoreEnv = setIdentityEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${port}` });
  noTools = createFakeTools();
  restorePath = noTools.usePath({ only: true });
});
afterAll(async () => {
  restoreEnv();
  restorePath();
  noTools.remove();
  await authority.close();
});

function expectUnavailableChain(err: unknown): AggregateAuthenticationError {
  expect(err).toBeInstanceOf(AggregateAuthenticationError);
  const aggregate = err as AggregateAuthenticationError;
  expect(aggregate.attempts.map((a) => a.credentialName)).toEqual([
    "EnvironmentCredential",
    "WorkloadIdentityCredential",
    "ManagedIdentityCredential",
    "AzureCliCredential",
    "AzureDeveloperCliCredential",
  ]);
  expect(aggregate.errors.every((e) => e instanceof CredentialUnavailableError)).toBe(true);
  expect(aggregate.message).toMatch(
    /^DefaultAzureCredential failed to get a token\. Tried:\n- EnvironmentCredential: .*AZURE_TENANT_ID.*\n- WorkloadIdentityCredential: .*\n- ManagedIdentityCredential: /,
  );
  expect(aggregate.message).toContain("`az` is not installed or not on PATH");
  expect(aggregate.message).toContain("`azd` is not installed or not on PATH");
  expect(aggregate.message).toContain(`IMDS at http://127.0.0.1:${port} (AZURE_POD_IDENTITY_AUTHORITY_HOST)`);
  return aggregate;
}

test("an IMDS that never answers is given up on after the probe timeout", async () => {
  const started = Date.now();
  const err = await new DefaultAzureCredential({ managedIdentityProbeTimeoutMs: 300 })
    .getToken(ACR_SCOPE)
    .catch((e: unknown) => e);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(expectUnavailableChain(err).message).toMatch(/no managed identity endpoint answered.*no answer within 300 ms/);
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

test("a closed IMDS port is reported as no endpoint", async () => {
  const err = await new DefaultAzureCredential().getToken(ACR_SCOPE).catch((e: unknown) => e);
  expect(expectUnavailableChain(err).message).toContain("no managed identity endpoint answered");
});

test("an IMDS without an identity is reported with its answer", async () => {
  const endpoint = await startManagedIdentityEndpoint(authority, { mode: "no-identity", port });
  try {
    const err = await new DefaultAzureCredential().getToken(ACR_SCOPE).catch((e: unknown) => e);
    expect(expectUnavailableChain(err).message).toContain("Identity not found");
    expect(endpoint.requests.length).toBeGreaterThan(0);
  } finally {
    await endpoint.close();
  }
});
