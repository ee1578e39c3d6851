/**
 * Connections of acrkit/node's default transport (agents.ts): kept alive and shared, over HTTP and HTTPS, counted at
 * a TCP relay in front of the emulator; TLS trust exactly as Node's (its roots plus NODE_EXTRA_CA_CERTS, read at
 * start-up, so HTTPS runs in a child process), and `allowInsecureConnection` still about plain http only.
 */
import { execFile } from "node:child_process";
import { createConnection, createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicCredential, ContainerRegistryClient } from "../../../../../src/platform/node/index";
import { createTestPki, type TestPki } from "../../../../support/authority/certificates";
import { startEmulator, type StartedEmulator } from "../../../../support/emulator";

const FIXTURE = fileURLToPath(new URL("../fixtures/https-metadata.ts", import.meta.url));
const PASSWORD = "admin-password-never-in-an-error";

/** A TCP relay that counts the connections clients open to the server behind it. */
interface CountingRelay {
  url: string;
  connections: number;
  close(): Promise<void>;
}

async function countingRelay(target: string): Promise<CountingRelay> {
  const { hostname, port, protocol } = new URL(target);
  const relay: CountingRelay & { server?: Server } = { url: "", connections: 0, close: async () => undefined };
  const server = createServer((client) => {
    relay.connections++;
    const upstream = createConnection({ host: hostname, port: Number(port) });
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  relay.url = `${protocol}//127.0.0.1:${(server.address() as { port: number }).port}`;
  relay.close = () => {
    server.close();
    return Promise.resolve();
  };
  return relay;
}

describe("keep-alive over HTTP", () => {
  let registry: StartedEmulator;
  let relay: CountingRelay;
  beforeAll(async () => {
    registry = await startEmulator({ users: { admin: { password: PASSWORD } } });
    await registry.emulator.seedImage({ repository: "app", tags: ["v1"] });
    relay = await countingRelay(registry.url);
  });
  afterAll(async () => {
    await relay.close();
    await registry.close();
  });

  it("one connection carries 30 metadata calls of a client (token requests included)", async () => {
    const client = new ContainerRegistryClient(relay.url, new BasicCredential("admin", PASSWORD));
    const before = relay.connections;
    for (let call = 0; call < 30; call++) await client.getTagProperties("app", "v1");
    expect(relay.connections - before).toBe(1);
  });

  it("clients share the pool: ten new clients, one call each, reuse it", async () => {
    await new ContainerRegistryClient(relay.url, new BasicCredential("admin", PASSWORD)).getTagProperties("app", "v1");
    const before = relay.connections;
    for (let client = 0; client < 10; client++)
      await new ContainerRegistryClient(relay.url, new BasicCredential("admin", PASSWORD)).getTagProperties(
        "app",
        "v1",
      );
    expect(relay.connections - before).toBe(0);
  });
});

describe("keep-alive and TLS trust over HTTPS (a child process per case)", () => {
  let pki: TestPki;
  let registry: StartedEmulator;
  let relay: CountingRelay;
  beforeAll(async () => {
    pki = createTestPki();
    registry = await startEmulator(
      { users: { admin: { password: PASSWORD } } },
      { key: pki.serverKeyPem, cert: pki.serverCertPem },
    );
    await registry.emulator.seedImage({ repository: "app", tags: ["v1"] });
    relay = await countingRelay(registry.url);
  });
  afterAll(async () => {
    await relay.close();
    await registry.close();
  });

  function run(calls: number, env: Record<string, string>, insecure = false): Promise<Record<string, unknown>> {
    const childEnv: Record<string, string | undefined> = { ...process.env, FIXTURE_PASSWORD: PASSWORD, ...env };
    if (!env.NODE_EXTRA_CA_CERTS) delete childEnv.NODE_EXTRA_CA_CERTS;
    return new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        ["--import", "tsx", FIXTURE, relay.url, String(calls), insecure ? "yes" : "no"],
        { env: childEnv, timeout: 60_000 },
        (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout.trim().split("\n").pop()!))),
      ),
    );
  }

  it("with NODE_EXTRA_CA_CERTS: 30 calls on one TLS connection", async () => {
    const before = relay.connections;
    const result = await run(30, { NODE_EXTRA_CA_CERTS: pki.caPath });
    expect(result).toEqual({ digests: [expect.stringMatching(/^sha256:/)] });
    expect(relay.connections - before).toBe(1);
  });

  it("without it the certificate is refused: a NetworkError naming the TLS failure, not the password", async () => {
    const result = await run(1, {});
    expect(result.error).toMatchObject({ name: "NetworkError", reason: "connection" });
    expect(JSON.stringify(result)).toMatch(/certificate/);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it("allowInsecureConnection does not turn certificate checks off (it is about plain http only)", async () => {
    const result = await run(1, {}, true);
    expect(result.error).toMatchObject({ name: "NetworkError", reason: "connection" });
    expect(JSON.stringify(result)).toMatch(/certificate/);
  });
});
