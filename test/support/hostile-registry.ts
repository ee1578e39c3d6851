/**
 * A loopback registry that authenticates like a real one and then misbehaves on purpose.
 *
 * It speaks the token protocol for real (a Bearer challenge; `GET /oauth2/token` with Basic credentials, ACR's
 * `POST /oauth2/exchange` and `POST /oauth2/token` for AAD tokens) and hands out opaque tokens that are secrets the
 * tests look for. Every other request that carries its access token goes to the test's {@link Behaviour}; every
 * request is logged, so tests count attempts and see what a request carried.
 * @module
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { EventEmitter } from "node:events";
import type { AddressInfo, Socket } from "node:net";
import { startLoopbackTls } from "./tls";
import type { FetchLike } from "../../src/index";

/** What the registry does with an authorized request; `origin` is the registry's own, e.g. `http://127.0.0.1:1234`. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, registry: HostileRegistry) => void;

/** One request as the hostile registry saw it. */
export interface HostileRequest {
  method: string;
  /** Path and query. */
  url: string;
  /** Whether it carried the access token the registry issued. */
  authorized: boolean;
  /** The Authorization header it carried, if any. */
  authorization?: string;
  /** A token endpoint request (not given to the behaviour). */
  token: boolean;
}

/** The secrets of one hostile registry: the Basic password it accepts and the tokens it issues. */
export interface HostileSecrets {
  username: string;
  password: string;
  /** The access token it hands out, and accepts. */
  accessToken: string;
  /** The refresh token ACR's exchange hands out for an AAD token. */
  refreshToken: string;
}

/** A running hostile registry. */
export interface HostileRegistry {
  /** `http://127.0.0.1:<port>`, or `https://…` for a TLS one. */
  readonly url: string;
  readonly secrets: HostileSecrets;
  /** Every request, in order of arrival. */
  readonly log: HostileRequest[];
  /** For a TLS registry, a fetch that trusts its certificate; undefined for plain http. */
  readonly fetch: FetchLike | undefined;
  /** Emits `"fault"` when a behaviour calls {@link HostileRegistry.faulted}, e.g. once a body has stalled. */
  readonly events: EventEmitter;
  /** Sets what authorized requests get. */
  behave(behaviour: Behaviour): void;
  /** Called by behaviours when their fault is in place (headers withheld, body stalled). */
  faulted(): void;
  close(): Promise<void>;
}

/** Options of {@link startHostileRegistry}. */
export interface HostileRegistryOptions {
  /** Serve HTTPS with a certificate from a throwaway CA. */
  tls?: boolean;
  /** A prefix that makes this registry's secrets differ from another's in the same test. */
  label?: string;
}

/** Starts a hostile registry on 127.0.0.1. */
export async function startHostileRegistry(options: HostileRegistryOptions = {}): Promise<HostileRegistry> {
  const label = options.label ?? "hostile";
  const unique = Math.random().toString(36).slice(2, 10);
  const secrets: HostileSecrets = {
    username: "admin",
    password: `Pw-${label}-${unique}-Hunter2`,
    accessToken: `acc-${label}-${unique}-opaque`,
    refreshToken: `ref-${label}-${unique}-opaque`,
  };
  const log: HostileRequest[] = [];
  const events = new EventEmitter();
  const sockets = new Set<Socket>();
  let behaviour: Behaviour = (_req, res) => void res.writeHead(404).end();
  let url = "";
  let fetchForTls: FetchLike | undefined;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    const authorization = req.headers.authorization;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const token = path === "/oauth2/token" || path === "/oauth2/exchange";
    const authorized = authorization === `Bearer ${secrets.accessToken}`;
    log.push({ method: req.method ?? "GET", url: req.url ?? "/", authorized, authorization, token });
    if (token) return void answerToken(req, res, path, secrets);
    if (!authorized) {
      req.resume();
      const challenge = `Bearer realm="${url}/oauth2/token",service="${new URL(url).host}"`;
      return void sendJson(
        res,
        401,
        { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] },
        { "www-authenticate": challenge },
      );
    }
    behaviour(req, res, registry);
  };

  let server: Server;
  let closeTls: (() => Promise<void>) | undefined;
  if (options.tls) {
    const tls = await startLoopbackTls(handler);
    server = tls.server;
    url = tls.url;
    fetchForTls = tls.fetch;
    closeTls = tls.close;
  } else {
    server = createHttpServer(handler);
    server.on("clientError", (_error, socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const registry: HostileRegistry = {
    url,
    secrets,
    log,
    fetch: fetchForTls,
    events,
    behave(next) {
      behaviour = next;
    },
    faulted() {
      events.emit("fault");
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      if (closeTls) await closeTls();
      else await new Promise((resolve) => server.close(resolve));
    },
  };
  return registry;
}

/** The token protocol, answered for real: the Basic password, an AAD token for the exchange, the refresh token. */
async function answerToken(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  secrets: HostileSecrets,
): Promise<void> {
  const form = new URLSearchParams(await readText(req));
  const basic = `Basic ${Buffer.from(`${secrets.username}:${secrets.password}`).toString("base64")}`;
  const refused = () =>
    sendJson(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "invalid username or password" }] });
  if (path === "/oauth2/exchange") {
    if (!form.get("access_token")) return refused();
    return sendJson(res, 200, { refresh_token: secrets.refreshToken });
  }
  if (req.method === "POST") {
    const grant = form.get("grant_type");
    if (grant === "refresh_token" && form.get("refresh_token") !== secrets.refreshToken) return refused();
    return sendJson(res, 200, { access_token: secrets.accessToken, expires_in: 3600 });
  }
  if (req.headers.authorization !== basic) return refused();
  return sendJson(res, 200, { access_token: secrets.accessToken, expires_in: 3600 });
}

/** Sends a JSON body with its length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers })
    .end(text);
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString()));
    req.on("error", () => resolve(""));
  });
}
