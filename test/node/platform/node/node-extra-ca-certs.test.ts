/**
 * The configuration-free way to trust a private authority: NODE_EXTRA_CA_CERTS, read by Node at start-up, so it
 * is tested in a child process with MSAL's own (fetch-based) network client.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type LocalAuthority, startAuthority } from "../../../support/authority/index";
import { IDENTITY_VARIABLES } from "./support";

const FIXTURE = fileURLToPath(new URL("./fixtures/environment-token.ts", import.meta.url));
let authority: LocalAuthority;

beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(() => authority.close());

function runFixture(extraEnv: Record<string, string>): Promise<{ token?: string; error?: string }> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of [...IDENTITY_VARIABLES, "NODE_EXTRA_CA_CERTS"]) delete env[name];
  Object.assign(
    env,
    {
      AZURE_TENANT_ID: authority.tenantId,
      AZURE_CLIENT_ID: authority.apps.secret.clientId,
      AZURE_CLIENT_SECRET: authority.apps.secret.clientSecret,
      AZURE_AUTHORITY_HOST: authority.url,
    },
    extraEnv,
  );
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", FIXTURE], { env, timeout: 30_000 }, (err, stdout) => {
      if (err) return reject(err);
      resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}"));
    });
  });
}

test("with NODE_EXTRA_CA_CERTS the credential trusts the authority without any option", async () => {
  const result = await runFixture({ NODE_EXTRA_CA_CERTS: authority.caPath });
  expect(result.error).toBeUndefined();
  expect(authority.validateToken(result.token ?? "")).toBe(true);
});

test("without it the TLS handshake fails and the error says so without the secret", async () => {
  const result = await runFixture({});
  expect(result.error).toMatch(/^CredentialAuthenticationError: (EnvironmentCredential|ClientSecretCredential)/);
  expect(result.error).not.toContain(authority.apps.secret.clientSecret);
});
