/**
 * The dashboard's dev server: bundles the app with esbuild and serves it, next to a seeded local emulator
 * (CORS on, so the page talks to it directly) or in front of a real registry through examples/cors-proxy
 * (same origin, for registries such as ACR that send no CORS headers).
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { createEmulator } from "../../src/emulator/index";
import { createCorsProxy } from "../cors-proxy/proxy";
import { seedDemo } from "./seed";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** The local emulator's demo user, shown prefilled in the connect form. */
export const DEMO_USER = { username: "admin", password: "dashboard-demo" };

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A registry to proxy instead of starting the emulator, e.g. `https://myregistry.azurecr.io`. */
  registry?: string;
  /**
   * A registry that sends CORS headers (docker-registry with `http.headers`, Zot, an emulator), which the page
   * talks to directly, anonymously, instead of starting the emulator.
   */
  directRegistry?: string;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** The page, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** The registry the page connects to: the emulator's or the direct registry's URL, or the dashboard's own origin when proxying. */
  registry: string;
  close(): Promise<void>;
}

/**
 * Resolves `acrkit/browser` to the source, so the example runs from a checkout without a build and always shows
 * the current code; an app outside this repository imports the published package instead.
 */
const acrkitFromSource: Plugin = {
  name: "acrkit-from-source",
  setup(plugin) {
    plugin.onResolve({ filter: /^acrkit\/browser$/ }, () => ({
      path: fileURLToPath(new URL("../../src/platform/browser/index.ts", import.meta.url)),
    }));
  },
};

/**
 * Bundles src/main.ts for browsers, and acrkit's hashing worker beside it: esbuild does not follow
 * `new Worker(new URL("./browser-hash-worker.js", import.meta.url))` as Vite and webpack do, so the app serves the
 * worker at that URL itself. Returns both scripts.
 */
export async function buildDashboard(): Promise<{ app: Uint8Array; hashWorker: Uint8Array }> {
  const common = {
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "warning",
  } as const;
  const [app, hashWorker] = await Promise.all([
    build({ ...common, entryPoints: [`${HERE}src/main.ts`], sourcemap: "inline", plugins: [acrkitFromSource] }),
    build({
      ...common,
      entryPoints: [fileURLToPath(new URL("../../src/platform/browser/browser-hash-worker.js", import.meta.url))],
    }),
  ]);
  return { app: app.outputFiles[0]!.contents, hashWorker: hashWorker.outputFiles[0]!.contents };
}

/** Builds the app, starts the registry side and serves everything. */
export async function startDashboard(options: DashboardOptions = {}): Promise<RunningDashboard> {
  const host = options.host ?? "127.0.0.1";
  const { app, hashWorker } = await buildDashboard();
  const stops: Array<() => Promise<void>> = [];
  let registry: string;
  let config: Record<string, string>;
  if (options.registry) {
    registry = options.registry;
    config = {};
  } else if (options.directRegistry) {
    registry = options.directRegistry;
    config = { registry };
  } else {
    const emulator = createEmulator({
      cors: true,
      anonymousPull: true,
      users: { [DEMO_USER.username]: DEMO_USER.password },
    });
    await seedDemo(emulator);
    const server = await emulator.listen({ host, port: 0 });
    stops.push(server.close);
    registry = server.url;
    config = { registry, ...DEMO_USER };
  }
  // The proxy serves public/ and, when a registry was given, forwards its APIs from this same origin.
  const proxy = createCorsProxy({ registry, staticDir: `${HERE}public` });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://dashboard.invalid").pathname;
    if (path === "/app.js" || path === "/browser-hash-worker.js") {
      res
        .writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" })
        .end(path === "/app.js" ? app : hashWorker);
    } else if (path === "/config.json") {
      const body = options.registry ? { registry: `http://${req.headers.host}` } : config;
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(body));
    } else {
      proxy.handle(req, res);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}/`;
  return {
    url,
    registry: options.registry ? url.slice(0, -1) : registry,
    close: async () => {
      await Promise.allSettled(stops.reverse().map((stop) => stop()));
    },
  };
}
