/**
 * A read-only, CORS-enabled forwarder that corrupts blob downloads, so a browser test can watch the client's
 * digest check fail on bytes that really crossed the network.
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running tamper server. */
export interface TamperServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

const BLOB_PATH = /^\/v2\/.+\/blobs\/[a-z0-9]+:[a-f0-9]+$/;

/**
 * Forwards GET, HEAD and OPTIONS to `target` (an open registry with CORS, so its headers carry over) and flips
 * the first byte of every successful blob GET body, keeping the length so only the digest check can notice.
 */
export async function startTamperServer(target: string): Promise<TamperServer> {
  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") {
      res.writeHead(405).end();
      return;
    }
    const headers = new Headers();
    for (const name of [
      "accept",
      "origin",
      "range",
      "access-control-request-method",
      "access-control-request-headers",
    ]) {
      const value = req.headers[name];
      if (typeof value === "string") headers.set(name, value);
    }
    const path = req.url ?? "/";
    fetch(new URL(path, target), { method, headers, redirect: "manual" })
      .then(async (response) => {
        const body = method === "HEAD" ? undefined : new Uint8Array(await response.arrayBuffer());
        if (
          body &&
          body.byteLength > 0 &&
          (response.status === 200 || response.status === 206) &&
          BLOB_PATH.test(new URL(path, target).pathname)
        )
          body[0]! ^= 0xff;
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (!["content-encoding", "transfer-encoding", "connection", "keep-alive"].includes(name)) out[name] = value;
        });
        res.writeHead(response.status, out).end(body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
