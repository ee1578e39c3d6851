/**
 * A loopback HTTP proxy that injects faults between acrkit and a real registry (the emulator or docker-registry).
 *
 * Each {@link FaultRule} names the requests it hits (method, path, how many to let through, how many to hit, a
 * seeded probability) and the {@link Fault} to inject. Every random choice (which request, which byte) comes from
 * a {@link SeededRandom}, so a failure replays from its seed. Apart from the faults, the proxy forwards bytes
 * unchanged, except that it rewrites the upstream's origin to its own in `Location` and `Link`, so that a client
 * that follows them stays behind the proxy.
 * @module
 */
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  type OutgoingHttpHeaders,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { SeededRandom } from "./faults/random";

/** What a {@link Fault} does; also the key of the proxy's counters. */
export type FaultKind = Fault["kind"];

/** One fault. A byte offset left out is picked by the seeded PRNG inside the body (by its Content-Length). */
export type Fault =
  /** Forwards `afterBytes` of the request body, then resets the client's connection and closes the upstream's. */
  | { kind: "reset-request"; afterBytes?: number }
  /** Forwards the response headers and `afterBytes` of its body, then resets the client's connection. */
  | { kind: "reset-response"; afterBytes?: number }
  /** Stops forwarding for `ms`: before the request goes upstream, or after `afterBytes` of the response body. */
  | { kind: "stall"; ms: number; phase?: "request" | "response"; afterBytes?: number }
  /** Answers `status` itself, with `Retry-After` in seconds or as an HTTP date `dateInMs` from now. */
  | { kind: "status"; status: number; retryAfter?: { seconds: number } | { dateInMs: number } }
  /** Sends `afterBytes` of the response body, then ends it: with a FIN (`close`) or a rewritten, smaller Content-Length. */
  | { kind: "truncate"; afterBytes?: number; mode?: "close" | "short-length" }
  /** Inverts one byte of the response body, at `at`. */
  | { kind: "flip-byte"; at?: number }
  /** Answers with an HTML error page, as a load balancer in front of a registry does. */
  | { kind: "html-error"; status?: number }
  /** Forwards, removing one response header (e.g. `docker-content-digest`). */
  | { kind: "drop-header"; header: string }
  /** Answers 401 with the registry's last Bearer challenge plus `error="invalid_token"`: a token that expired. */
  | { kind: "unauthorized" }
  /** Answers with a handler of the test's own: the hostile cases. */
  | { kind: "custom"; name: string; handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void> };

/** Which requests a fault hits. */
export interface FaultRule {
  /** The HTTP method, e.g. `PATCH`; any when absent. */
  method?: string;
  /** Tested against path and query; any when absent. */
  path?: RegExp;
  /** Matching requests let through before the rule may fire. Default 0. */
  skip?: number;
  /** How many requests it hits. Default 1; `Infinity` for all. */
  times?: number;
  /** The chance that an eligible request is hit, drawn from the proxy's seeded PRNG. Default 1. */
  probability?: number;
  /** A further condition, e.g. {@link authorized}. */
  when?: (req: IncomingMessage) => boolean;
  fault: Fault;
}

/** Matches requests that carry credentials: the real transfer, not the anonymous first try that gets the challenge. */
export const authorized = (req: IncomingMessage): boolean => req.headers.authorization !== undefined;

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** The response status the client got, 0 when its connection was reset before one. */
  status: number;
  fault?: FaultKind;
  /** Request body bytes forwarded upstream. */
  requestBytes: number;
  /** Response body bytes forwarded to the client. */
  responseBytes: number;
  /** The request's `Range` header, if any. */
  range?: string;
  /** When the request arrived, in milliseconds since the epoch. */
  at: number;
}

/** What the proxy did, for assertions and the fault report. */
export interface FaultProxyStats {
  requests: number;
  faults: Partial<Record<FaultKind, number>>;
  /**
   * Rules that fired at least once, by kind: unlike `faults`, this does not depend on how many retries a run's
   * timing allowed, so the fault table in README can be compared with it.
   */
  rulesFired: Partial<Record<FaultKind, number>>;
  /** Request body bytes forwarded upstream. */
  bytesUp: number;
  /** Response body bytes forwarded to clients. */
  bytesDown: number;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The upstream origin, e.g. `http://127.0.0.1:5000`. */
  upstream: string;
  /** Seeds every random choice. */
  seed: number;
  rules?: FaultRule[];
}

/** A running fault proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the upstream. */
  readonly url: string;
  readonly random: SeededRandom;
  /** The rules, first match wins; tests may push and splice while running. */
  readonly rules: FaultRule[];
  readonly stats: FaultProxyStats;
  readonly log: ProxiedRequest[];
  /** Replaces the rules. */
  setRules(rules: FaultRule[]): void;
  close(): Promise<void>;
}

const HTML_PAGE =
  "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";

interface RuleState {
  matched: number;
  fired: number;
}

/** Starts a fault proxy on 127.0.0.1 with a free port. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const random = new SeededRandom(options.seed);
  const rules: FaultRule[] = [...(options.rules ?? [])];
  const states = new WeakMap<FaultRule, RuleState>();
  const stats: FaultProxyStats = { requests: 0, faults: {}, rulesFired: {}, bytesUp: 0, bytesDown: 0 };
  const log: ProxiedRequest[] = [];
  const agent = new Agent({ keepAlive: true });
  let origin = "";
  let lastChallenge: string | undefined;

  const pick = (req: IncomingMessage): Fault | undefined => {
    let chosen: FaultRule | undefined;
    // Every rule counts every request it matches, also those an earlier rule hit, so that `skip` means the n-th
    // matching request whatever the other rules do.
    for (const rule of rules) {
      if (rule.method && rule.method !== req.method) continue;
      if (rule.path && !rule.path.test(req.url ?? "")) continue;
      if (rule.when && !rule.when(req)) continue;
      const state = states.get(rule) ?? { matched: 0, fired: 0 };
      states.set(rule, state);
      state.matched++;
      if (chosen || state.matched <= (rule.skip ?? 0) || state.fired >= (rule.times ?? 1)) continue;
      if (rule.probability !== undefined && random.next() >= rule.probability) continue;
      state.fired++;
      if (state.fired === 1) stats.rulesFired[rule.fault.kind] = (stats.rulesFired[rule.fault.kind] ?? 0) + 1;
      chosen = rule;
    }
    return chosen?.fault;
  };

  const rewrite = (value: string) => value.split(upstream.origin).join(origin);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const entry: ProxiedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      status: 0,
      requestBytes: 0,
      responseBytes: 0,
      range: req.headers.range,
      at: Date.now(),
    };
    log.push(entry);
    const fault = pick(req);
    if (fault) {
      entry.fault = fault.kind;
      stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
    }
    res.on("finish", () => (entry.status = res.statusCode));
    switch (fault?.kind) {
      case "status": {
        await drain(req);
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (fault.retryAfter && "seconds" in fault.retryAfter)
          headers["retry-after"] = String(fault.retryAfter.seconds);
        if (fault.retryAfter && "dateInMs" in fault.retryAfter)
          headers["retry-after"] = new Date(Date.now() + fault.retryAfter.dateInMs).toUTCString();
        res
          .writeHead(fault.status, headers)
          .end(JSON.stringify({ errors: [{ code: "TOOMANYREQUESTS", message: "injected" }] }));
        return;
      }
      case "html-error":
        await drain(req);
        res.writeHead(fault.status ?? 502, { "content-type": "text/html" }).end(HTML_PAGE);
        return;
      case "unauthorized": {
        await drain(req);
        const challenge = lastChallenge ?? `Bearer realm="${origin}/oauth2/token",service="${new URL(origin).host}"`;
        res
          .writeHead(401, {
            "content-type": "application/json",
            "www-authenticate": `${challenge},error="invalid_token"`,
          })
          .end(
            JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required: token expired" }] }),
          );
        return;
      }
      case "custom":
        await fault.handle(req, res);
        return;
      default:
        await forward(req, res, fault, entry);
    }
  };

  const forward = async (
    req: IncomingMessage,
    res: ServerResponse,
    fault: Fault | undefined,
    entry: ProxiedRequest,
  ) => {
    if (fault?.kind === "stall" && (fault.phase ?? "request") === "request") {
      await sleep(fault.ms);
      if (res.destroyed) return;
    }
    const declared = Number(req.headers["content-length"] ?? NaN);
    const resetAt =
      fault?.kind === "reset-request"
        ? (fault.afterBytes ?? (Number.isFinite(declared) ? random.int(0, declared) : 0))
        : undefined;
    const upstreamRequest = httpRequest({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    });
    let clientGone = false;
    res.on("close", () => {
      if (!res.writableFinished) {
        clientGone = true;
        upstreamRequest.destroy();
      }
    });
    const responded = new Promise<IncomingMessage | undefined>((resolve) => {
      upstreamRequest.once("response", resolve);
      upstreamRequest.once("error", () => resolve(undefined));
    });

    // The request body, with the reset fault applied after exactly `resetAt` bytes.
    for await (const piece of req as AsyncIterable<Buffer>) {
      if (clientGone) return;
      let chunk = piece;
      if (resetAt !== undefined && entry.requestBytes + chunk.byteLength >= resetAt) {
        chunk = chunk.subarray(0, resetAt - entry.requestBytes);
        await write(upstreamRequest, chunk);
        entry.requestBytes += chunk.byteLength;
        stats.bytesUp += chunk.byteLength;
        // The upstream gets every forwarded byte and then a clean end of connection, as after a cut cable; the
        // client gets a reset. The client learns of it only once the upstream has seen it, as in a real outage.
        await closeAndWait(upstreamRequest);
        resetSocket(req.socket);
        return;
      }
      await write(upstreamRequest, chunk);
      entry.requestBytes += chunk.byteLength;
      stats.bytesUp += chunk.byteLength;
    }
    if (resetAt !== undefined) {
      // The body was shorter than the reset point: reset before the response instead.
      await closeAndWait(upstreamRequest);
      resetSocket(req.socket);
      return;
    }
    upstreamRequest.end();

    const upstreamResponse = await responded;
    if (!upstreamResponse) {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end("fault proxy: upstream failed");
      else res.destroy();
      return;
    }
    const challenge = upstreamResponse.headers["www-authenticate"];
    if (typeof challenge === "string" && /^bearer/i.test(challenge))
      lastChallenge = challenge.replace(/,\s*error="[^"]*"/i, "");

    const headers: OutgoingHttpHeaders = { ...upstreamResponse.headers };
    for (const name of ["location", "link"]) {
      const value = headers[name];
      if (typeof value === "string") headers[name] = rewrite(value);
    }
    const length = Number(upstreamResponse.headers["content-length"] ?? NaN);
    const pickOffset = (given: number | undefined) =>
      given ?? (Number.isFinite(length) && length > 0 ? random.int(0, length) : 0);
    let cutAt: number | undefined;
    let resetResponseAt: number | undefined;
    let stallAt: number | undefined;
    let flipAt: number | undefined;
    if (fault?.kind === "drop-header") delete headers[fault.header.toLowerCase()];
    if (fault?.kind === "truncate") {
      cutAt = pickOffset(fault.afterBytes);
      if (fault.mode === "short-length") headers["content-length"] = String(cutAt);
    }
    if (fault?.kind === "reset-response") resetResponseAt = pickOffset(fault.afterBytes);
    if (fault?.kind === "stall" && fault.phase === "response") stallAt = pickOffset(fault.afterBytes);
    if (fault?.kind === "flip-byte") flipAt = pickOffset(fault.at);

    if (resetResponseAt === 0) {
      // The answer is lost entirely: the upstream did the work, the client never hears of it.
      upstreamResponse.resume();
      resetSocket(res.socket);
      return;
    }
    res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, headers);
    let sent = 0;
    for await (const piece of upstreamResponse as AsyncIterable<Buffer>) {
      if (res.destroyed) {
        upstreamResponse.destroy();
        return;
      }
      let chunk: Buffer = piece;
      if (flipAt !== undefined && flipAt >= sent && flipAt < sent + chunk.byteLength) {
        chunk = Buffer.from(chunk);
        chunk[flipAt - sent] = chunk[flipAt - sent]! ^ 0xff;
      }
      if (stallAt !== undefined && sent + chunk.byteLength >= stallAt) {
        await write(res, chunk.subarray(0, stallAt - sent));
        await sleep((fault as { ms: number }).ms);
        if (res.destroyed) {
          upstreamResponse.destroy();
          return;
        }
        chunk = chunk.subarray(stallAt - sent);
        sent = stallAt;
        stallAt = undefined;
      }
      const stopAt = cutAt ?? resetResponseAt;
      if (stopAt !== undefined && sent + chunk.byteLength >= stopAt) {
        const part = chunk.subarray(0, stopAt - sent);
        await write(res, part);
        count(part.byteLength);
        upstreamResponse.destroy();
        if (resetResponseAt !== undefined) resetSocket(res.socket);
        else if (fault?.kind === "truncate" && fault.mode === "short-length") res.end();
        else res.socket?.end();
        return;
      }
      await write(res, chunk);
      count(chunk.byteLength);
      sent += chunk.byteLength;
    }
    // A body shorter than the reset point is cut at its end, before the response completes.
    if (resetResponseAt !== undefined) resetSocket(res.socket);
    else res.end();

    function count(bytes: number) {
      entry.responseBytes += bytes;
      stats.bytesDown += bytes;
    }
  };

  const server: Server = createServer((req, res) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    handle(req, res).catch(() => res.destroy());
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    random,
    rules,
    stats,
    log,
    setRules(next) {
      rules.splice(0, rules.length, ...next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads and drops a request body, so that an answer does not race the client's upload. */
async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req as AsyncIterable<Buffer>) {
    // discarded
  }
}

function write(
  target: { write(chunk: Buffer, callback: (error?: Error | null) => void): boolean; destroyed: boolean },
  chunk: Buffer,
): Promise<void> {
  if (chunk.byteLength === 0 || target.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    target.write(chunk, () => resolve());
  });
}

function closeAndWait(request: ReturnType<typeof httpRequest>): Promise<void> {
  return new Promise((resolve) => {
    const socket = request.socket;
    if (!socket || socket.destroyed) {
      request.destroy();
      resolve();
      return;
    }
    socket.once("close", () => resolve());
    // end() sends a FIN after the queued bytes, so the upstream reads everything forwarded before the cut.
    socket.end();
    request.destroy();
  });
}

function resetSocket(socket: Socket | null | undefined): void {
  if (!socket || socket.destroyed) return;
  socket.resetAndDestroy();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
