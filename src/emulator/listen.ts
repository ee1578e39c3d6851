/**
 * The Node HTTP adapter: IncomingMessage → Request and Response → ServerResponse, streaming both ways.
 *
 * Bodies are never buffered whole: the request body is a pull-driven ReadableStream that pauses the socket
 * when the handler falls behind, and response chunks wait for `drain`.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Environment } from "./context";
import type { Emulator, EmulatorServer, ListenOptions } from "./types";

/** Headers that describe one hop of the connection, not the message; the Request must not carry them. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"]);

/** How much request body may queue before the socket is paused. */
const BODY_HIGH_WATER_MARK = 1024 * 1024;

/** A request body stream plus a way to throw away what the handler did not read. */
interface IncomingBody {
  stream: ReadableStream<Uint8Array>;
  discard(): void;
}

function incomingBody(req: IncomingMessage): IncomingBody {
  let settled = false;
  const discard = () => {
    settled = true;
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (!settled) controller.close();
          settled = true;
        });
        // A client that disconnects mid-body errors the stream; the upload keeps what arrived.
        req.on("close", () => {
          if (!settled && !req.complete) controller.error(new Error("the client aborted the request"));
          settled = true;
        });
      },
      pull() {
        req.resume();
      },
      cancel: discard,
    },
    { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
  return { stream, discard };
}

function toRequest(req: IncomingMessage, base: string): { request: Request; body?: IncomingBody } {
  const headers = new Headers();
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = req.rawHeaders[index]!;
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, req.rawHeaders[index + 1]!);
  }
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", base);
  if (method === "GET" || method === "HEAD") return { request: new Request(url, { method, headers }) };
  const body = incomingBody(req);
  return { request: new Request(url, { method, headers, body: body.stream, duplex: "half" } as RequestInit), body };
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

async function send(response: Response, res: ServerResponse, head: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body || head) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function startServer(emulator: Emulator, host: string, port: number, baseOf: (req: IncomingMessage) => string): Promise<Server> {
  const server = createServer((req, res) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    const { request, body } = toRequest(req, baseOf(req));
    emulator
      .fetch(request)
      .then((response) => send(response, res, request.method === "HEAD"))
      .catch(() => res.destroy())
      // Unread request bytes are dropped so the keep-alive connection can carry the next request.
      .finally(() => body?.discard());
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

function originOf(host: string, server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Serves an emulator on a loopback port; with `redirectBlobs`, starts the storage origin on a second port.
 *
 * Registry requests keep their Host (it is the default login server); storage requests are pinned to the
 * storage origin, whatever Host they carry.
 */
export async function listen(emulator: Emulator, env: Environment, options: ListenOptions = {}): Promise<EmulatorServer> {
  const host = options.host ?? "127.0.0.1";
  let storage: Server | undefined;
  const inProcessOrigin = env.storage.origin;
  if (env.options.redirectBlobs) {
    let storageOrigin = "";
    storage = await startServer(emulator, host, 0, () => storageOrigin);
    storageOrigin = originOf(host, storage);
    env.storage.origin = storageOrigin;
  }
  let registryOrigin = "";
  const registry = await startServer(emulator, host, options.port ?? 0, (req) =>
    req.headers.host ? `http://${req.headers.host}` : registryOrigin,
  );
  registryOrigin = originOf(host, registry);
  const storageUrl = storage ? env.storage.origin : undefined;
  return {
    url: registryOrigin,
    port: (registry.address() as AddressInfo).port,
    ...(storageUrl ? { storageUrl } : {}),
    async close() {
      await Promise.all([registry, storage].filter((server) => server !== undefined).map(stop));
      // Signed links keep working in-process once the storage listener is gone.
      env.storage.origin = inProcessOrigin;
    },
  };
}
