/**
 * `npm install acrkit` in an empty project, as a new user does: what it installs (acrkit and hash-wasm; MSAL only
 * when asked for), and which sign-ins work with and without the optional MSAL peers, under Node, Deno and Bun,
 * against the emulator and the local authority on loopback.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAuthority, startAuthority } from "../support/authority/index";
import { createFakeTools, type FakeTools } from "../support/cli-fakes/index";
import { azAccessToken } from "../support/cli-fakes/outputs";
import { startEmulator, type StartedEmulator } from "../support/emulator";
import { bin, FIXTURES, packed, ROOT } from "./support/paths";
import { createProject, install, installed, packInstalled } from "./support/project";
import { runCommand } from "./support/run-command";

const USER = { username: "install-user", password: "install-password" };
const STATIC_TOKEN = "static-aad-token-for-install-test";
const AZ_TOKEN = "az-aad-token-for-install-test";
const MAX_PACKAGES = 3;
const MAX_BYTES = 6_000_000;

/** What fixtures/sign-ins/check.mjs prints. */
interface Attempt {
  ok: boolean;
  value?: unknown;
  error?: {
    name: string;
    message: string;
    instanceOf: string[];
    packageName?: string;
    installCommand?: string;
    attempts?: Array<{ credentialName: string; error: string; cause?: string }>;
  };
}
type CheckResults = Record<string, Attempt> & { imports: { node: number; browser: number } };

const RUNTIMES = [
  { name: "Node", command: () => process.execPath, args: [] as string[] },
  { name: "Deno", command: () => bin("deno"), args: ["run", "--no-prompt", "-A"] },
  { name: "Bun", command: () => bin("bun"), args: [] as string[] },
];

describe("an empty project that installs the tarball", () => {
  const { tarball } = packed();
  const work = mkdtempSync(join(tmpdir(), "acrkit-install-"));
  const project = join(work, "project");
  let registry: StartedEmulator;
  let authority: LocalAuthority;
  let tools: FakeTools;
  let environment: NodeJS.ProcessEnv;

  beforeAll(async () => {
    authority = await startAuthority();
    registry = await startEmulator({
      users: { [USER.username]: USER.password },
      anonymousPull: true,
      validateAadToken: (token) => token === STATIC_TOKEN || token === AZ_TOKEN || authority.validateToken(token),
    });
    await registry.emulator.seedImage({ repository: "install/app", tags: ["v1"] });
    tools = createFakeTools();
    tools.install("az", azAccessToken(AZ_TOKEN, Math.floor(Date.now() / 1000) + 3600, authority.tenantId));
    const dockerConfig = join(work, "docker-config.json");
    const auth = Buffer.from(`${USER.username}:${USER.password}`).toString("base64");
    writeFileSync(dockerConfig, JSON.stringify({ auths: { [registry.service]: { auth } } }));
    writeFileSync(join(work, "authority-ca.pem"), authority.caPem);
    const app = authority.apps.secret;
    environment = {
      PATH: `${tools.dir}${delimiter}${process.env.PATH ?? ""}`,
      HOME: work,
      NO_COLOR: "1",
      ACRKIT_REGISTRY: registry.url,
      ACRKIT_USER: USER.username,
      ACRKIT_PASSWORD: USER.password,
      ACRKIT_DOCKER_CONFIG: dockerConfig,
      ACRKIT_STATIC_TOKEN: STATIC_TOKEN,
      ACRKIT_AZ_TOKEN: AZ_TOKEN,
      ACRKIT_AUTHORITY_URL: authority.url,
      ACRKIT_AUTHORITY_CA: authority.caPem,
      AZURE_TENANT_ID: authority.tenantId,
      AZURE_CLIENT_ID: app.clientId,
      AZURE_CLIENT_SECRET: app.clientSecret,
      // Managed identity, should the chain ever reach it, asks a closed loopback port instead of IMDS.
      AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://127.0.0.1:9",
    };
    await createProject(project, [tarball]);
    copyFileSync(join(FIXTURES, "sign-ins/check.mjs"), join(project, "check.mjs"));
  });

  afterAll(async () => {
    await registry?.close();
    await authority?.close();
    tools?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  async function check(runtime: (typeof RUNTIMES)[number], extra: NodeJS.ProcessEnv = {}): Promise<CheckResults> {
    const result = await runCommand(runtime.command(), [...runtime.args, "check.mjs"], {
      cwd: project,
      env: { ...environment, ...extra },
    });
    expect(result.code, result.output).toBe(0);
    return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as CheckResults;
  }

  /** The sign-ins that need no MSAL: each listed the seeded repository. */
  function expectSignInsWithoutMsal(results: CheckResults) {
    expect(results.imports.node).toBeGreaterThan(50);
    expect(results.imports.browser).toBeGreaterThan(40);
    for (const name of ["basic", "dockerConfig", "azureCli", "staticToken", "anonymous"]) {
      expect(results[name], name).toEqual({ ok: true, value: ["install/app"] });
    }
  }

  it(`installs acrkit and hash-wasm alone: at most ${MAX_PACKAGES} packages and ${MAX_BYTES / 1e6} MB of files`, () => {
    const { packages, bytes } = installed(project);
    console.log(
      `npm install <tarball>: ${packages.length} packages (${packages.join(", ")}), ${(bytes / 1e6).toFixed(2)} MB of files in node_modules`,
    );
    expect(packages).toEqual(["acrkit", "hash-wasm"]);
    expect(packages.length).toBeLessThanOrEqual(MAX_PACKAGES);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
  });

  describe.each(RUNTIMES)("without MSAL, under $name", (runtime) => {
    let results: CheckResults;
    beforeAll(async () => {
      results = await check(runtime, { ACRKIT_CHAIN_WITHOUT_TOOLS: "/nonexistent" });
    });

    it("imports acrkit/node and acrkit/browser, and Basic, docker config, az, static token and anonymous sign-ins work", () => {
      expectSignInsWithoutMsal(results);
    });

    it("ClientSecretCredential's getToken rejects with an AuthenticationError naming @azure/msal-node and how to install it", () => {
      expect(results.clientSecret!.ok).toBe(false);
      const error = results.clientSecret!.error!;
      expect(error.name).toBe("MsalNotInstalledError");
      expect(error.instanceOf).toEqual(
        expect.arrayContaining(["AuthenticationError", "CredentialAuthenticationError", "MsalNotInstalledError"]),
      );
      expect(error.packageName).toBe("@azure/msal-node");
      expect(error.installCommand).toBe("npm install @azure/msal-node");
      expect(error.message).toMatch(
        /^ClientSecretCredential authentication failed: @azure\/msal-node is not installed;.*`npm install @azure\/msal-node`/,
      );
    });

    it("MsalBrowserCredential's getToken rejects the same way, naming @azure/msal-browser", () => {
      const error = results.msalBrowser!.error!;
      expect(error).toMatchObject({
        name: "MsalNotInstalledError",
        packageName: "@azure/msal-browser",
        installCommand: "npm install @azure/msal-browser",
      });
      expect(error.message).toContain(
        "MsalBrowserCredential authentication failed: @azure/msal-browser is not installed",
      );
    });

    it("DefaultAzureCredential skips the steps that need MSAL as unavailable and signs in with az", () => {
      expect(results.defaultChain).toEqual({ ok: true, value: { tokenFromAz: true, repositories: ["install/app"] } });
      const error = results.defaultChainWithoutTools!.error!;
      expect(error.name).toBe("AggregateAuthenticationError");
      expect(error.attempts).toEqual([
        {
          credentialName: "EnvironmentCredential",
          error: "CredentialUnavailableError",
          cause: "MsalNotInstalledError",
        },
        { credentialName: "WorkloadIdentityCredential", error: "CredentialUnavailableError" },
        {
          credentialName: "ManagedIdentityCredential",
          error: "CredentialUnavailableError",
          cause: "MsalNotInstalledError",
        },
        { credentialName: "AzureCliCredential", error: "CredentialUnavailableError" },
        { credentialName: "AzureDeveloperCliCredential", error: "CredentialUnavailableError" },
      ]);
      expect(error.message).toContain("npm install @azure/msal-node");
    });
  });

  describe("after npm install @azure/msal-node", () => {
    beforeAll(async () => {
      await install(project, [await packInstalled("@azure/msal-node", work)]);
    });

    it.each(RUNTIMES)(
      "under $name, ClientSecretCredential and the chain sign in at the local authority, and the rest still works",
      async (runtime) => {
        const results = await check(runtime);
        expectSignInsWithoutMsal(results);
        expect(results.clientSecret).toEqual({
          ok: true,
          value: { tokenFromAz: false, repositories: ["install/app"] },
        });
        // EnvironmentCredential (the AZURE_* variables) comes first in the chain, before az.
        expect(results.defaultChain).toEqual({
          ok: true,
          value: { tokenFromAz: false, repositories: ["install/app"] },
        });
        expect(results.msalBrowser!.error!.packageName).toBe("@azure/msal-browser");
      },
    );

    it("installed @azure/msal-node and its dependencies next to acrkit, and nothing of MSAL.js", () => {
      const { packages, bytes } = installed(project);
      console.log(`with @azure/msal-node: ${packages.length} packages, ${(bytes / 1e6).toFixed(2)} MB of files`);
      expect(packages).toEqual(
        expect.arrayContaining(["acrkit", "hash-wasm", "@azure/msal-node", "@azure/msal-common"]),
      );
      expect(packages).not.toContain("@azure/msal-browser");
    });
  });

  it("the runtime smoke passes under Deno and Bun in the project", async () => {
    copyFileSync(join(ROOT, "test/runtimes/smoke.mjs"), join(project, "smoke.mjs"));
    cpSync(join(ROOT, "test/runtimes/fakes"), join(project, "fakes"), { recursive: true });
    for (const runtime of RUNTIMES.slice(1)) {
      const result = await runCommand(runtime.command(), [...runtime.args, "smoke.mjs"], {
        cwd: project,
        env: { ...process.env, NO_COLOR: "1" },
      });
      expect(result.code, result.output).toBe(0);
      expect(result.stdout).toContain("runtime smoke passed on");
    }
  });
});
