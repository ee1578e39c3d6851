/**
 * A same-origin reverse proxy that lets a browser app talk to a registry without CORS: it serves the app and
 * forwards the registry's APIs from the same origin.
 *
 * Azure Container Registry sends no CORS headers a customer can configure (Azure/acr#752), and its blob reads
 * answer 307 to a second origin (Azure Blob Storage). This proxy makes both invisible to the browser:
 * - `/v2`, `/acr/v1` and `/oauth2` are forwarded to the registry, everything else is the static app;
 * - `WWW-Authenticate` realms, `Location` and `Link` headers that point at the registry are rewritten to the
 *   proxy's origin, so the token dance and upload sessions stay on it;
 * - a blob read that redirects to another origin is followed here, on the server, without `Authorization`
 *   (the storage URL is signed; the registry token must never reach storage), and streamed back as the answer.
 * @module
 */
import { createReadStream, type Stats } from "node:fs";
import { stat } from "node:fs/promises";
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

/** Options of {@link createCorsProxy}. */
export interface CorsProxyOptions {
  /** The registry, e.g. `https://myregistry.azurecr.io`. */
  registry: string;
  /** A directory served for every path the registry does not own (the browser app). */
  staticDir?: string;
  /**
   * CORS for apps served from another origin (e.g. a dev server): `true` allows every origin, `{ origins }` only
   * those. Not needed when the proxy serves the app itself. Default off.
   */
  cors?: boolean | { origins: string[] };
  /**
   * The origin browsers reach the proxy at, used when rewriting headers, e.g. `https://app.example.com` behind
   * a TLS terminator. Default: `http://` + the request's Host header.
   */
  publicOrigin?: string;
}

/** Options of {@link CorsProxy.listen}. */
export interface CorsProxyListenOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** A running proxy. */
export interface RunningCorsProxy {
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  close(): Promise<void>;
}

/** The proxy: a `node:http` request handler, and a way to serve it. */
export interface CorsProxy {
  handle(req: IncomingMessage, res: ServerResponse): void;
  listen(options?: CorsProxyListenOptions): Promise<RunningCorsProxy>;
}

/** The registry's API prefixes; nothing else is forwarded, so the proxy can never be used as an open relay. */
const REGISTRY_PREFIXES = ["/v2", "/acr/v1", "/oauth2"];
/** Blob reads, the requests a registry may redirect to storage. */
const BLOB_READ = /^\/v2\/.+\/blobs\/[a-z0-9+._-]+:[a-zA-Z0-9=_-]+$/;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_STORAGE_REDIRECTS = 3;

/** Per-connection headers, and headers the proxy owns; never copied from one side to the other. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);
const DROPPED_REQUEST_HEADERS = new Set([
  ...HOP_BY_HOP,
  "host",
  "origin",
  "referer",
  "cookie",
  "access-control-request-method",
  "access-control-request-headers",
]);
/** What a signed storage URL may be asked with: no credentials of any kind. */
const STORAGE_REQUEST_HEADERS = ["range", "if-none-match", "if-match", "if-modified-since", "accept"];
/** What the browser learns from a storage answer. */
const STORAGE_RESPONSE_HEADERS = [
  "content-type",
  "content-length",
  "content-range",
  "accept-ranges",
  "etag",
  "last-modified",
];

const CORS_ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const CORS_ALLOW_HEADERS = "Authorization, Accept, Content-Type, Content-Range, Content-Length, Range";
const CORS_EXPOSE_HEADERS =
  "Docker-Content-Digest, Docker-Distribution-Api-Version, Location, Link, Range, Content-Range, Content-Length, WWW-Authenticate, Docker-Upload-UUID, OCI-Subject, OCI-Filters-Applied";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json",
};

/**
 * Creates a same-origin reverse proxy in front of a registry.
 *
 * Point the browser client at the proxy: `new ContainerRegistryClient(location.origin, credential)`.
 */
export function createCorsProxy(options: CorsProxyOptions): CorsProxy {
  const registry = new URL(options.registry);
  if (registry.protocol !== "https:" && registry.protocol !== "http:")
    throw new TypeError(`Invalid registry URL ${options.registry}: expected http(s)`);
  const staticRoot = options.staticDir ? resolve(options.staticDir) : undefined;

  function publicOriginOf(req: IncomingMessage): string {
    return options.publicOrigin ?? `http://${req.headers.host ?? "localhost"}`;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    req.on("error", () => res.destroy());
    res.on("error", () => undefined);
    const path = req.url ?? "/";
    const pathname = new URL(path, "http://proxy.invalid").pathname;
    const cors = corsOrigin(req, options.cors);
    if (cors !== undefined) {
      res.setHeader("Access-Control-Allow-Origin", cors);
      res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
      if (cors !== "*") res.setHeader("Vary", "Origin");
      // Preflights are answered here: registries with auth answer OPTIONS with 401, which fails the preflight.
      if (req.method === "OPTIONS") {
        const requested = req.headers["access-control-request-headers"];
        res.writeHead(204, {
          "Access-Control-Allow-Methods": CORS_ALLOW_METHODS,
          "Access-Control-Allow-Headers": requested ? `${CORS_ALLOW_HEADERS}, ${requested}` : CORS_ALLOW_HEADERS,
          "Access-Control-Max-Age": "600",
        });
        res.end();
        return;
      }
    }
    if (REGISTRY_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) {
      forward(req, res, path, pathname).catch(() => fail(res, 502));
    } else if (staticRoot) {
      serveStatic(req, res, staticRoot, pathname).catch(() => fail(res, 500));
    } else {
      fail(res, 404);
    }
  }

  async function forward(req: IncomingMessage, res: ServerResponse, path: string, pathname: string): Promise<void> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
    }
    const target = new URL(path, registry);
    const upstream = await send(target, req.method ?? "GET", headers, req);
    const method = req.method ?? "GET";
    const location = upstream.headers.location;
    if (
      (method === "GET" || method === "HEAD") &&
      REDIRECTS.has(upstream.statusCode ?? 0) &&
      location &&
      BLOB_READ.test(pathname)
    ) {
      const storage = new URL(location, target);
      if (storage.origin !== registry.origin) {
        upstream.resume();
        await relayStorage(req, res, storage, upstream.headers);
        return;
      }
    }
    const rewritten = rewriteHeaders(upstream.headers, publicOriginOf(req));
    res.writeHead(upstream.statusCode ?? 502, rewritten);
    pipeResponse(upstream, res);
  }

  /** Reads a signed storage URL on the browser's behalf and streams the answer back as the blob read's answer. */
  async function relayStorage(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    registryHeaders: IncomingHttpHeaders,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of STORAGE_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    let response = await send(url, req.method ?? "GET", headers);
    for (let hop = 0; REDIRECTS.has(response.statusCode ?? 0) && response.headers.location; hop++) {
      response.resume();
      if (hop >= MAX_STORAGE_REDIRECTS) return fail(res, 502);
      url = new URL(response.headers.location, url);
      response = await send(url, req.method ?? "GET", headers);
    }
    const out: Record<string, string> = {};
    for (const name of STORAGE_RESPONSE_HEADERS) {
      const value = response.headers[name];
      if (typeof value === "string") out[name] = value;
    }
    // The digest header came with the registry's redirect, not from storage; keep it for the client.
    const digest = registryHeaders["docker-content-digest"];
    if (typeof digest === "string") out["docker-content-digest"] = digest;
    res.writeHead(response.statusCode ?? 502, out);
    pipeResponse(response, res);
  }

  return {
    handle,
    async listen(listenOptions = {}) {
      const server = createServer(handle);
      server.on("clientError", (_error, socket) => socket.destroy());
      const host = listenOptions.host ?? "127.0.0.1";
      await new Promise<void>((resolvePromise, reject) => {
        server.once("error", reject);
        server.listen(listenOptions.port ?? 0, host, () => resolvePromise());
      });
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((resolvePromise) => {
            server.close(() => resolvePromise());
            server.closeAllConnections();
          }),
      };
    },
  };

  /** Response headers for the browser: hop-by-hop and the registry's own CORS dropped, registry URLs made ours. */
  function rewriteHeaders(headers: IncomingHttpHeaders, publicOrigin: string): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || name.startsWith("access-control-")) continue;
      if (name === "location" && typeof value === "string") out[name] = toPublic(value, publicOrigin);
      else if (name === "www-authenticate")
        out[name] = mapValues(value, (v) =>
          v.replace(/realm="([^"]*)"/i, (_m, realm: string) => `realm="${toPublic(realm, publicOrigin)}"`),
        );
      else if (name === "link")
        out[name] = mapValues(value, (v) =>
          v.replace(/<([^>]*)>/g, (_m, target: string) => `<${toPublic(target, publicOrigin)}>`),
        );
      else out[name] = value;
    }
    return out;
  }

  /** An absolute URL on the registry's origin, moved to the proxy's; anything else (relative, foreign) unchanged. */
  function toPublic(value: string, publicOrigin: string): string {
    if (!/^https?:\/\//i.test(value)) return value;
    const url = new URL(value);
    if (url.origin !== registry.origin) return value;
    return `${publicOrigin}${url.pathname}${url.search}${url.hash}`;
  }
}

function mapValues(value: string | string[], map: (value: string) => string): string | string[] {
  return Array.isArray(value) ? value.map(map) : map(value);
}

/** Streams an upstream answer to the browser; a browser that goes away stops the upstream transfer too. */
function pipeResponse(upstream: IncomingMessage, res: ServerResponse): void {
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on("error", () => res.destroy());
  upstream.pipe(res);
}

function corsOrigin(req: IncomingMessage, cors: CorsProxyOptions["cors"]): string | undefined {
  if (!cors) return undefined;
  const origin = req.headers.origin;
  if (cors === true) return origin ?? "*";
  return origin !== undefined && cors.origins.includes(origin) ? origin : undefined;
}

/** One upstream exchange with `node:http(s)`: bodies stream both ways and nothing is decompressed. */
function send(
  url: URL,
  method: string,
  headers: Record<string, string | string[]>,
  body?: IncomingMessage,
): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolvePromise, reject) => {
    const upstream = request(url, { method, headers }, resolvePromise);
    upstream.on("error", reject);
    if (body) body.pipe(upstream);
    else upstream.end();
  });
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return fail(res, 405);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return fail(res, 400);
  }
  const file = resolve(join(root, decoded.endsWith("/") ? `${decoded}index.html` : decoded));
  // Only files under the root: `..` and encoded separators must not reach the rest of the disk.
  if (file !== root && !file.startsWith(root + sep)) return fail(res, 404);
  let info: Stats;
  try {
    info = await stat(file);
  } catch {
    return fail(res, 404);
  }
  if (!info.isFile()) return fail(res, 404);
  res.writeHead(200, {
    "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": String(info.size),
    "Cache-Control": "no-cache",
  });
  if (req.method === "HEAD") res.end();
  else
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
}

function fail(res: ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(`${status}\n`);
}
