/**
 * The built programs (dist/acrkit.cjs, dist/docker-credential-acrkit.cjs) as child processes: `acrkit --version`
 * starts without loading the library, and skopeo reaches an emulator ACR through docker-credential-acrkit with only
 * workload-identity variables set (the Entra ID token from the local authority, exchanged for an ACR refresh token).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { VERSION } from "../../../src/index";
import { createFederatedIssuer, startAuthority, type LocalAuthority } from "../../support/authority/index";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { SKOPEO_BINARY } from "../../support/skopeo";
import { CLI_USER } from "./support";

const ACRKIT = resolve("dist/acrkit.cjs");
const HELPER = resolve("dist/docker-credential-acrkit.cjs");
const SERVICE_ACCOUNT = "system:serviceaccount:ci:pusher";

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((done) => {
    const child = execFile(file, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({
        code: error ? Number((error as { code?: number }).code ?? 1) : 0,
        stdout,
        stderr,
        ms: performance.now() - started,
      });
    });
    child.stdin?.end(input ?? "");
  });
}

describe("acrkit --version", () => {
  test("prints the version from the one bundled file, well within a hang bound (the 150 ms figure is in the bench)", async () => {
    const result = await run(process.execPath, [ACRKIT, "--version"]);
    expect(result.stdout.trim()).toBe(VERSION);
    expect(result.ms).toBeLessThan(5_000);
  });
});

describe("docker-credential-acrkit", () => {
  let authority: LocalAuthority;
  let registry: StartedEmulator;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    authority = await startAuthority();
    const cluster = createFederatedIssuer();
    const app = authority.registerApp({ federatedCredentials: [cluster.credential(SERVICE_ACCOUNT)] });
    registry = await startEmulator({
      validateAadToken: authority.validateToken,
      users: { [CLI_USER.username]: CLI_USER.password },
    });
    await registry.emulator.seedImage({ repository: "wi/app", tags: ["v1"] });
    dir = mkdtempSync(join(tmpdir(), "acrkit-cli-helper-"));
    writeFileSync(join(dir, "token"), cluster.mint(SERVICE_ACCOUNT));
    writeFileSync(join(dir, "ca.pem"), authority.caPem);
    const bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync(HELPER, join(bin, "docker-credential-acrkit"));
    writeFileSync(join(dir, "auth.json"), JSON.stringify({ credHelpers: { [new URL(registry.url).host]: "acrkit" } }));
    // Only what the AKS workload identity webhook sets, and the local authority's CA (a real one is public).
    env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: dir,
      AZURE_TENANT_ID: authority.tenantId,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_FEDERATED_TOKEN_FILE: join(dir, "token"),
      AZURE_AUTHORITY_HOST: authority.url,
      NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
    };
  });
  afterAll(async () => {
    await registry?.close();
    await authority?.close();
  });

  test("get answers an ACR refresh token for user 00000000-…; list is empty", async () => {
    const got = await run(HELPER, ["get"], env, `${new URL(registry.url).host}\n`);
    expect(got.code, got.stdout + got.stderr).toBe(0);
    const answer = JSON.parse(got.stdout);
    expect(answer).toMatchObject({
      ServerURL: new URL(registry.url).host,
      Username: "00000000-0000-0000-0000-000000000000",
    });
    expect(answer.Secret.length).toBeGreaterThan(20);
    expect((await run(HELPER, ["list"], env)).stdout.trim()).toBe("{}");
  });

  test("skopeo inspect reaches the emulator ACR through the helper", async () => {
    const result = await run(
      SKOPEO_BINARY,
      [
        "--insecure-policy",
        "inspect",
        "--raw",
        "--tls-verify=false",
        "--authfile",
        join(dir, "auth.json"),
        `docker://${new URL(registry.url).host}/wi/app:v1`,
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).schemaVersion).toBe(2);
    expect(registry.emulator.requests.some((r) => r.path.startsWith("/oauth2/exchange") && r.status === 200)).toBe(
      true,
    );
  });
});
