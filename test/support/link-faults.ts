/**
 * The field's fault profiles for blob reads, as rules of the fault proxy (./fault-proxy.ts): storage that ignores
 * Range (200 with the whole blob), storage that refuses Range (400), a redirect to a storage URL that expires (403
 * after some seconds, as a signed URL does), one connection much slower than the others (a front-end that starves
 * one flow), and a line that all connections share with no cap per connection (where more connections gain nothing). The tests (test/node/core/content/download-link-faults.test.ts) and the bench use these same rules.
 * @module
 */
import { request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { Socket } from "node:net";
import type { FaultRule } from "./fault-proxy";

/** The profiles. */
export const LINK_FAULT_PROFILES = [
  "range-ignored",
  "range-rejected",
  "expiring-redirect",
  "slow-connection",
  "shared-line",
] as const;
/** One of {@link LINK_FAULT_PROFILES}. */
export type LinkFaultProfile = (typeof LINK_FAULT_PROFILES)[number];

/** Settings of the profiles. */
export interface LinkFaultOptions {
  /** The registry behind the fault proxy, e.g. `http://127.0.0.1:5000`. */
  upstream: string;
  /**
   * Every blob body is paced to this rate per response, in bytes per second; unpaced when absent. `shared-line`: the
   * rate of the line all responses share.
   */
  bytesPerSecond?: number;
  /** `expiring-redirect`: how long a storage URL is good for, in milliseconds. Default 1 000. */
  expiresAfterMs?: number;
  /** `slow-connection`: which connection (counted from 0, among those that read blobs) is slow. Default 1. */
  slowIndex?: number;
  /** `slow-connection`: how many times slower that connection is. Default 20. */
  slowFactor?: number;
}

/** A blob read at the registry (not the storage path the redirect profile serves). */
const BLOB_READ = /^\/v2\/.+\/blobs\/sha256:[0-9a-f]{64}$/;
/** The storage path of the redirect profile: `/storage/<expiry ms>/v2/...`. */
const STORAGE = /^\/storage\/(\d+)(\/v2\/.+)$/;

/** The fault proxy's rules that make the registry behind it behave as `profile`. */
export function linkFaultRules(profile: LinkFaultProfile, options: LinkFaultOptions): FaultRule[] {
  const agent = new Agent({ keepAlive: true });
  const pace = options.bytesPerSecond;
  const forwarding = (transform: (req: IncomingMessage) => Forwarding) => (req: IncomingMessage, res: ServerResponse) =>
    forward(options.upstream, agent, req, res, transform(req));
  const blobGet = { method: "GET", path: BLOB_READ, times: Infinity };
  switch (profile) {
    case "range-ignored":
      return [
        {
          ...blobGet,
          fault: {
            kind: "custom",
            name: profile,
            handle: forwarding(() => ({ dropRange: true, bytesPerSecond: pace })),
          },
        },
      ];
    case "range-rejected":
      return [
        {
          ...blobGet,
          fault: {
            kind: "custom",
            name: profile,
            handle: (req, res) => {
              if (req.headers.range === undefined)
                return forward(options.upstream, agent, req, res, { bytesPerSecond: pace });
              res.writeHead(400, { "content-type": "text/plain" }).end("Range not supported");
            },
          },
        },
      ];
    case "expiring-redirect": {
      const lifetime = options.expiresAfterMs ?? 1000;
      return [
        {
          ...blobGet,
          fault: {
            kind: "custom",
            name: "redirect",
            handle: (req, res) => {
              // Storage on another origin (localhost for 127.0.0.1, the same proxy), as a registry's redirect to object
              // storage: the client must not send the registry's credentials there.
              const storage = `http://${(req.headers.host ?? "").replace("127.0.0.1", "localhost")}`;
              res
                .writeHead(307, {
                  location: `${storage}/storage/${Date.now() + lifetime}${req.url}`,
                  "content-length": "0",
                })
                .end();
            },
          },
        },
        {
          method: "GET",
          path: STORAGE,
          times: Infinity,
          fault: {
            kind: "custom",
            name: profile,
            handle: (req, res) => {
              const [, expiry, path] = STORAGE.exec(req.url ?? "")!;
              if (Date.now() > Number(expiry)) {
                // Azure Blob Storage's answer to an expired SAS.
                res
                  .writeHead(403, { "content-type": "application/xml" })
                  .end('<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code></Error>');
                return;
              }
              return forward(options.upstream, agent, req, res, { path, bytesPerSecond: pace });
            },
          },
        },
      ];
    }
    case "shared-line": {
      const line: SharedLine = { free: 0 };
      return [
        {
          ...blobGet,
          fault: { kind: "custom", name: profile, handle: forwarding(() => ({ line, bytesPerSecond: pace ?? 50e6 })) },
        },
      ];
    }
    case "slow-connection": {
      const sockets = new WeakMap<Socket, number>();
      let count = 0;
      const slowIndex = options.slowIndex ?? 1;
      const base = pace ?? 50e6;
      return [
        {
          ...blobGet,
          fault: {
            kind: "custom",
            name: profile,
            handle: forwarding((req) => {
              if (!sockets.has(req.socket)) sockets.set(req.socket, count++);
              const slow = sockets.get(req.socket) === slowIndex;
              return { bytesPerSecond: slow ? base / (options.slowFactor ?? 20) : pace };
            }),
          },
        },
      ];
    }
  }
}

/** How a request is passed on. */
interface Forwarding {
  /** The path upstream, when not the request's own. */
  path?: string;
  /** Leaves the Range header out: the upstream answers 200 with the whole blob. */
  dropRange?: boolean;
  bytesPerSecond?: number;
  /** Paces by one clock that every response on it shares, at `bytesPerSecond` in all (instead of each response). */
  line?: SharedLine;
}

/** A line's clock: when it is free to send the next piece, in `performance.now()` milliseconds. */
interface SharedLine {
  free: number;
}

async function forward(
  upstream: string,
  agent: Agent,
  req: IncomingMessage,
  res: ServerResponse,
  how: Forwarding,
): Promise<void> {
  const target = new URL(upstream);
  const headers = { ...req.headers };
  if (how.dropRange) delete headers.range;
  const upstreamResponse = await new Promise<IncomingMessage | undefined>((resolve) => {
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: how.path ?? req.url, headers, agent },
      resolve,
    );
    outgoing.once("error", () => resolve(undefined));
    outgoing.end();
  });
  if (!upstreamResponse) {
    res.writeHead(502).end();
    return;
  }
  res.on("close", () => upstreamResponse.destroy());
  res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
  const started = performance.now();
  let sent = 0;
  for await (const piece of upstreamResponse as AsyncIterable<Buffer>) {
    if (res.destroyed) return;
    // Pieces of at most 64 KiB, each sent when the rate allows: a paced body arrives smoothly, not in bursts.
    for (let at = 0; at < piece.byteLength; at += 65_536) {
      const part = piece.subarray(at, at + 65_536);
      if (how.line && how.bytesPerSecond) {
        // Pieces take turns on the line in the order they come: each is due once those before it are sent.
        how.line.free = Math.max(how.line.free, performance.now()) + (part.byteLength * 1000) / how.bytesPerSecond;
        const wait = how.line.free - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      } else if (how.bytesPerSecond) {
        const due = started + ((sent + part.byteLength) * 1000) / how.bytesPerSecond;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      if (res.destroyed) return;
      if (!res.write(part)) await drained(res);
      sent += part.byteLength;
    }
  }
  res.end();
}

/** Resolves once `res` drains or closes; the listener that did not fire is removed. */
async function drained(res: ServerResponse): Promise<void> {
  const settled = new AbortController();
  const either = ["drain", "close"].map((event) => once(res, event, { signal: settled.signal }).catch(() => undefined));
  await Promise.race(either);
  settled.abort();
}
