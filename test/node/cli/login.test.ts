/**
 * `acrkit login`, `logout` and `auth explain` with docker's config: a login is checked, then stored (in `auths`, or
 * in the credsStore helper the config names); `auth explain` says which source answers without the secret; a refused
 * login is not stored.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { CLI_USER, runCli } from "./support";

let registry: StartedEmulator;
let host: string;

beforeAll(async () => {
  registry = await startEmulator({ users: { [CLI_USER.username]: CLI_USER.password } });
  host = new URL(registry.url).host;
  await registry.emulator.seedImage({ repository: "login/app", tags: ["v1"] });
});
afterAll(() => registry.close());

describe("login to docker's config file", () => {
  test("login stores auths, auth explain names it without the secret, ls uses it, logout removes it", async () => {
    const config = mkdtempSync(join(tmpdir(), "acrkit-cli-login-"));
    const env = { DOCKER_CONFIG: config };
    const login = await runCli(["login", host, "-u", CLI_USER.username, "--password-stdin"], {
      env,
      stdin: `${CLI_USER.password}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    const stored = JSON.parse(readFileSync(join(config, "config.json"), "utf8"));
    expect(Buffer.from(stored.auths[host].auth, "base64").toString()).toBe(`${CLI_USER.username}:${CLI_USER.password}`);
    const explain = await runCli(["auth", "explain", host, "--check", "-o", "json"], { env });
    expect(JSON.parse(explain.stdout)).toMatchObject({ registry: host, source: "docker-config", checked: true });
    expect(explain.stdout + explain.stderr + login.stdout + login.stderr).not.toContain(CLI_USER.password);
    expect((await runCli(["ls", `${host}/login/app`], { env })).stdout).toContain("v1");
    expect((await runCli(["logout", host], { env })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(config, "config.json"), "utf8")).auths[host]).toBeUndefined();
    expect(JSON.parse((await runCli(["auth", "explain", host, "-o", "json"], { env })).stdout).source).toBe(
      "anonymous",
    );
  });

  test("a refused login exits 4 and stores nothing; flags beat the environment", async () => {
    const config = mkdtempSync(join(tmpdir(), "acrkit-cli-login-"));
    const refused = await runCli(["login", host, "-u", CLI_USER.username, "-p", "not-the-password"], {
      env: { DOCKER_CONFIG: config },
    });
    expect(refused.code).toBe(4);
    expect(existsSync(join(config, "config.json"))).toBe(false);
    const explain = await runCli(["auth", "explain", host, "-u", "a", "-p", "b", "-o", "json"], {
      env: { DOCKER_CONFIG: config, ACRKIT_USERNAME: "x", ACRKIT_PASSWORD: "y" },
    });
    expect(JSON.parse(explain.stdout).source).toBe("flags");
  });
});

describe("login through a credsStore helper", () => {
  test("store and erase go to docker-credential-<credsStore>; the config file holds no secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "acrkit-cli-store-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    // A helper that keeps what it is given in a file, as docker's pass and secretservice helpers keep it elsewhere.
    writeFileSync(
      join(bin, "docker-credential-filestore"),
      `#!/bin/sh\ncase "$1" in\n  store) cat > "${dir}/stored.json" ;;\n  erase) cat > "${dir}/erased.txt" ; rm -f "${dir}/stored.json" ;;\n  get) if [ -f "${dir}/stored.json" ]; then cat "${dir}/stored.json"; else echo "credentials not found in native keychain"; exit 1; fi ;;\nesac\n`,
    );
    chmodSync(join(bin, "docker-credential-filestore"), 0o755);
    writeFileSync(join(dir, "config.json"), JSON.stringify({ credsStore: "filestore" }));
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const login = await runCli(["login", host, "-u", CLI_USER.username, "-p", CLI_USER.password, "-o", "json"], {
        env: { DOCKER_CONFIG: dir },
      });
      expect(login.code, login.stderr).toBe(0);
      expect(JSON.parse(login.stdout).stored).toEqual({ store: "helper", helper: "filestore" });
      expect(JSON.parse(readFileSync(join(dir, "stored.json"), "utf8"))).toEqual({
        ServerURL: host,
        Username: CLI_USER.username,
        Secret: CLI_USER.password,
      });
      expect(readFileSync(join(dir, "config.json"), "utf8")).not.toContain(CLI_USER.password);
      const explain = JSON.parse(
        (await runCli(["auth", "explain", host, "--check", "-o", "json"], { env: { DOCKER_CONFIG: dir } })).stdout,
      );
      expect(explain).toMatchObject({ source: "docker-config", checked: true });
      expect(explain.detail).toContain("docker-credential-filestore");
      expect((await runCli(["logout", host], { env: { DOCKER_CONFIG: dir } })).code).toBe(0);
      expect(readFileSync(join(dir, "erased.txt"), "utf8")).toBe(host);
    } finally {
      process.env.PATH = path;
    }
  });
});
