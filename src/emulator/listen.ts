/**
 * The Node HTTP(S) adapter: IncomingMessage → Request and Response → ServerResponse, streaming both ways.
 *
 * Bodies are never buffered whole: the request body is a pull-driven ReadableStream that pauses the socket
 * when the handler falls behind, and response chunks wait for `drain`. Nothing a client sends can throw out of
 * a listener or leave a request without an answer: malformed requests get 4xx/5xx answers, parser errors too.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { authKindOfHeader } from "./auth";
import type { Environment } from "./context";
import { errorResponse } from "./errors";
import { toRequest, type ListenerOrigin } from "./node-request";
import { send, sendRaw } from "./node-response";
import type { Emulator, EmulatorServer, ListenOptions, RequestLogEntry } from "./types";

/** What the listener answers to a request Node's parser refused, by the parser's error code. */
const PARSER_REFUSALS: Readonly<Record<string, [status: number, code: string, message: string]>> = {
  HPE_HEADER_OVERFLOW: [431, "INVALID_REQUEST", "the request headers are too large"],
  HPE_INVALID_METHOD: [501, "UNSUPPORTED", "the request method is not implemented by this registry"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "SIZE_INVALID", "the chunk extensions of the request body are too large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "INVALID_REQUEST", "the request did not arrive in time"],
};

/** One listener: the emulator it serves, where its requests go, and which origin it logs them under. */
interface Listener extends ListenerOrigin {
  emulator: Emulator;
  env: Environment;
  label: RequestLogEntry["origin"];
}

/** Logs a request the listener answered itself, so {@link Emulator.requests} shows every answer. */
function record(listener: Listener, req: IncomingMessage, status: number): void {
  listener.env.requests.push({
    method: req.method ?? "",
    path: req.url ?? "",
    status,
    auth: authKindOfHeader(req.headers.authorization),
    origin: listener.label,
    time: listener.env.clock(),
  });
}

/** Answers 500 when the handler failed before its answer started; after that, closing is the only signal left. */
function fail(res: ServerResponse, head: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const response = errorResponse(500, "UNKNOWN", "the emulator failed to answer this request");
  response.headers.set("Connection", "close");
  send(response, res, head).catch(() => res.destroy());
}

function handleRequest(listener: Listener, inFlight: WeakMap<Duplex, ServerResponse>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    inFlight.set(req.socket, res);
    res.on("close", () => {
      // A pipelined request on the same connection may have taken the slot already.
      if (inFlight.get(req.socket) === res) inFlight.delete(req.socket);
    });
    const head = req.method === "HEAD";
    const conversion = toRequest(req, listener);
    if ("refusal" in conversion) {
      record(listener, req, conversion.refusal.status);
      conversion.refusal.headers.set("Docker-Distribution-Api-Version", "registry/2.0");
      // What follows a malformed request on the connection cannot be trusted either.
      conversion.refusal.headers.set("Connection", "close");
      send(conversion.refusal, res, head).catch(() => fail(res, head));
      return;
    }
    const { request, body } = conversion;
    listener.emulator
      .fetch(request)
      .then((response) => send(response, res, head))
      .catch((error: unknown) => {
        listener.env.options.onError?.(error);
        fail(res, head);
      })
      // Unread request bytes are dropped so the keep-alive connection can carry the next request.
      .finally(() => body?.discard());
  };
}

/**
 * Answers what Node's HTTP parser refused (bad framing, huge headers, unknown method, timeout), then closes.
 *
 * The parser may fail in a request's body after its head was handled: an answer already started is let finish
 * (a second one would corrupt it), and an answer not started yet is replaced by the parser's refusal.
 */
function handleClientError(inFlight: WeakMap<Duplex, ServerResponse>) {
  return (error: NodeJS.ErrnoException, socket: Duplex) => {
    const res = inFlight.get(socket);
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
    } else if (res?.headersSent) {
      if (res.writableFinished) socket.destroy();
      else res.once("close", () => socket.destroy());
    } else {
      const refusal = PARSER_REFUSALS[error.code ?? ""];
      const [status, code, message] = refusal ?? [
        400,
        "INVALID_REQUEST",
        `malformed HTTP request (${error.code ?? "unknown error"})`,
      ];
      sendRaw(socket, status, code, message);
    }
  };
}

/** Node's default request timeout, kept as the emulator's default. */
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

function startServer(
  listener: Listener,
  host: string,
  port: number,
  options: ListenOptions,
): Promise<Server | TlsServer> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // Node checks for timed-out requests only this often (30 s by default), so a short timeout needs a short check.
  // The listener answers a missing Host itself, in the OCI error format, instead of Node's bodiless 400.
  const timing =
    requestTimeout > 0
      ? {
          requestTimeout,
          headersTimeout: Math.min(60_000, requestTimeout),
          connectionsCheckingInterval: Math.max(50, Math.min(30_000, requestTimeout / 4)),
          requireHostHeader: false,
        }
      : { requestTimeout: 0, requireHostHeader: false };
  const pem = (value: string | Uint8Array) => (typeof value === "string" ? value : Buffer.from(value));
  const { tls } = options;
  const server: Server | TlsServer = tls
    ? createTlsServer({ ...timing, key: pem(tls.key), cert: pem(tls.cert) })
    : createServer(timing);
  const inFlight = new WeakMap<Duplex, ServerResponse>();
  server.on("request", handleRequest(listener, inFlight));
  server.on("clientError", handleClientError(inFlight));
  // CONNECT is for proxies; without this listener Node would close the connection without a word.
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    record(listener, req, 501);
    socket.on("error", () => undefined);
    sendRaw(socket, 501, "UNSUPPORTED", "CONNECT is not implemented: this registry is not a proxy");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

function originOf(protocol: string, host: string, server: Server | TlsServer): string {
  const { port } = server.address() as AddressInfo;
  return `${protocol}//${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function stop(server: Server | TlsServer): Promise<void> {
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
export async function listen(
  emulator: Emulator,
  env: Environment,
  options: ListenOptions = {},
): Promise<EmulatorServer> {
  const host = options.host ?? "127.0.0.1";
  const protocol = options.tls ? "https:" : "http:";
  let storage: Server | TlsServer | undefined;
  const inProcessOrigin = env.storage.origin;
  if (env.options.blobRedirect) {
    const listener: Listener = { emulator, env, label: "storage", origin: "", pinned: true };
    storage = await startServer(listener, host, 0, options);
    listener.origin = originOf(protocol, host, storage);
    env.storage.origin = listener.origin;
  }
  const listener: Listener = { emulator, env, label: "registry", origin: "", pinned: false };
  const registry = await startServer(listener, host, options.port ?? 0, options);
  listener.origin = originOf(protocol, host, registry);
  const storageUrl = storage ? env.storage.origin : undefined;
  return {
    url: listener.origin,
    port: (registry.address() as AddressInfo).port,
    ...(storageUrl ? { storageUrl } : {}),
    async close() {
      await Promise.all([registry, storage].filter((server) => server !== undefined).map(stop));
      // Signed links keep working in-process once the storage listener is gone.
      env.storage.origin = inProcessOrigin;
    },
  };
}
