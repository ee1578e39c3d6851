/**
 * listen({ tls }): the registry and the storage origin of redirect mode over HTTPS, with a throwaway CA.
 */
import { request as httpsRequest } from "node:https";
import { connect } from "node:tls";
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../../src/emulator/index";
import { createTestPki } from "../../support/authority/certificates";
import { basic } from "./helpers";

const pki = createTestPki();

/** A GET over HTTPS trusting only the test CA; resolves with the status, headers and body. */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = httpsRequest(url, { ca: pki.caPem, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

describe("listen({ tls })", () => {
  it("serves the registry and the storage origin over HTTPS", async () => {
    const emulator = createEmulator({ users: { admin: "secret" }, redirectBlobs: true });
    const digest = await emulator.seedBlob("app", "over tls");
    const server = await emulator.listen({ tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(server.storageUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const challenge = await get(`${server.url}/v2/`);
      expect(challenge.status).toBe(401);
      expect(challenge.headers["www-authenticate"]).toContain(`realm="${server.url}/oauth2/token"`);
      const redirect = await get(`${server.url}/v2/app/blobs/${digest}`, { authorization: basic("admin", "secret") });
      expect(redirect.status).toBe(307);
      const location = redirect.headers.location as string;
      expect(location.startsWith(`${server.storageUrl}/blobs/`)).toBe(true);
      const blob = await get(location);
      expect(blob.body).toBe("over tls");
    } finally {
      await server.close();
    }
  });

  it("answers a malformed request over TLS and keeps serving", async () => {
    const server = await createEmulator({ authRequired: false }).listen({
      tls: { key: new TextEncoder().encode(pki.serverKeyPem), cert: new TextEncoder().encode(pki.serverCertPem) },
    });
    try {
      const { port } = new URL(server.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(
          { host: "127.0.0.1", port: Number(port), ca: pki.caPem, servername: "localhost" },
          () => {
            socket.write("TRACE /v2/ HTTP/1.1\r\nHost: [::\r\nConnection: close\r\n\r\n");
          },
        );
        let text = "";
        socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 501 /);
      expect((await get(`${server.url}/v2/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
