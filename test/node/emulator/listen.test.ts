import { spawn } from "node:child_process";
import { request as httpRequest, Agent } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator } from "../../../src/emulator/index";
import { createTestPki } from "../../support/authority/certificates";
import { startEmulator, type StartedEmulator } from "../../support/emulator";

let started: StartedEmulator | undefined;
afterEach(async () => {
  await started?.close();
  started = undefined;
});

describe("listen()", () => {
  it("defaults to 127.0.0.1 on an ephemeral port and uses the Host as login server", async () => {
    const server = await createEmulator({ authRequired: false }).listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.port).toBeGreaterThan(0);
      expect(server.storageUrl).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("survives a client that aborts a download mid-stream", async () => {
    started = await startEmulator({ authRequired: false });
    const digest = await started.emulator.seedBlob("app", new Uint8Array(32 * 1024 * 1024));
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${started!.url}/v2/app/blobs/${digest}`, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => undefined);
      req.end();
    });
    const after = await fetch(`${started.url}/v2/app/blobs/${digest}`, { method: "HEAD" });
    expect(after.status).toBe(200);
  });

  it("closes idle keep-alive connections on close()", async () => {
    started = await startEmulator({ authRequired: false });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve) => {
      httpRequest(`${started!.url}/v2/`, { agent }, (res) => {
        res.resume();
        res.on("end", resolve);
      }).end();
    });
    const begin = Date.now();
    await started.close();
    started = undefined;
    expect(Date.now() - begin).toBeLessThan(1000);
    agent.destroy();
  });

  it("drops an unread request body so the connection serves the next request", async () => {
    started = await startEmulator();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Uint8Array) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${started!.url}${path}`, { method, agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        });
        req.on("error", reject);
        req.end(body);
      });
    expect(await send("PATCH", "/v2/app/blobs/uploads/x", new Uint8Array(3 * 1024 * 1024))).toBe(401);
    expect(await send("GET", "/v2/")).toBe(401);
    agent.destroy();
  });
});

/** Runs the CLI with arguments until it prints its URL; returns the URL and the child to stop. */
async function startCli(...args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/emulator/cli.ts", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}: ${errors}`)));
  });
  return { child, url };
}

describe("acrkit-emulator CLI", () => {
  it("starts, seeds and prints its URL", async () => {
    const { child, url: listening } = await startCli("--seed", "--anonymous");
    try {
      const url = await listening;
      const service = new URL(url).host;
      const token = await fetch(`${url}/oauth2/token?service=${service}&scope=registry:catalog:*`);
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      const catalog = await fetch(`${url}/v2/_catalog`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(await catalog.json()).toEqual({ repositories: ["hello-world", "library/alpine", "team/app"] });
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("takes --profile and serves HTTPS with --tls-key and --tls-cert", async () => {
    const pki = createTestPki();
    const tlsFiles = ["--tls-key", join(pki.dir, "server.key"), "--tls-cert", join(pki.dir, "server.pem")];
    const { child, url: listening } = await startCli("--no-auth", "--profile", "chunk-min", ...tlsFiles);
    try {
      const url = await listening;
      expect(url).toMatch(/^https:/);
      const header = await new Promise<string | string[] | undefined>((resolve, reject) => {
        const req = httpsRequest(`${url}/v2/app/blobs/uploads/`, { method: "POST", ca: pki.caPem }, (res) => {
          res.resume();
          resolve(res.headers["oci-chunk-min-length"]);
        });
        req.on("error", reject);
        req.end();
      });
      expect(header).toBe("5242880");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("exits with a message naming an unknown profile", async () => {
    const { child, url } = await startCli("--profile", "no-such-registry");
    await expect(url).rejects.toThrow(/unknown emulator profile "no-such-registry"/);
    expect(child.exitCode).toBe(1);
  });
});
