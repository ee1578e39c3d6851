/**
 * The acrkit emulator behind node:https, run as its own process so that its CPU and memory are never counted
 * against a contender. @azure/container-registry needs this: it refuses http:// endpoints.
 *
 * Besides the emulator's own endpoints it answers a few `/__bench/*` control paths (request count, seeding),
 * which no contender ever calls.
 *
 * Usage: `tsx bench/servers/emulator-https.ts <cert.pem> <key.pem>`; prints `{"url":...}` once listening.
 * @module
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createEmulator } from "../../src/emulator/index";

/** Connection-level headers that a Request must not carry. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
]);

const [certPath, keyPath] = process.argv.slice(2);
const emulator = createEmulator();

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(req.rawHeaders[i]!.toLowerCase())) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", origin);
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  // Streamed, not buffered: a 1 GiB upload must flow through with backpressure.
  const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
  return new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse, head: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body || head) {
    await response.body?.cancel();
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>), res);
}

async function control(path: string, url: URL): Promise<Response> {
  if (path === "/__bench/requests") return Response.json({ count: emulator.requests.length, connections });
  if (path === "/__bench/seed-tags") {
    const repository = url.searchParams.get("repository")!;
    const count = Number(url.searchParams.get("count"));
    const tags = Array.from({ length: count }, (_, i) => `t${String(i).padStart(5, "0")}`);
    await emulator.seedImage({ repository, tags });
    return Response.json({ tags: tags.length });
  }
  return new Response("unknown control path", { status: 404 });
}

function handler(origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    // The origin the client used: behind the link proxy that is the proxy's port, so that the token realm the
    // emulator announces is reached through the same link, as with a real registry.
    const request = toRequest(req, req.headers.host ? `${origin().split("://")[0]}://${req.headers.host}` : origin());
    const url = new URL(request.url);
    const answer = url.pathname.startsWith("/__bench/") ? control(url.pathname, url) : emulator.fetch(request);
    answer.then((response) => writeResponse(response, res, request.method === "HEAD")).catch(() => res.destroy());
  };
}

let origin = "";
let connections = 0;
const server =
  certPath && keyPath
    ? createHttpsServer(
        { cert: readFileSync(certPath), key: readFileSync(keyPath) },
        handler(() => origin),
      )
    : createServer(handler(() => origin));
// Counted for the metadata profile: a warm client's calls must reuse their connection.
server.on("connection", () => connections++);
// Uploads of 1 GiB over a slow contender may take minutes; the defaults would cut them.
server.requestTimeout = 0;
server.headersTimeout = 60_000;
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  origin = `${certPath ? "https" : "http"}://127.0.0.1:${port}`;
  process.stdout.write(`${JSON.stringify({ url: origin })}\n`);
});
// The bench ends this process through its pipe: when the parent goes, so does the server.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
