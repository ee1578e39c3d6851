/**
 * One attempt on a real loopback server, through each of the transport's parts: the timeout to the response headers,
 * the body watchdog (body-watchdog.ts), request-body shaping (request-body.ts), and the logging and Warning fetch
 * wrappers (logging-fetch.ts and warning.ts, imported on first use by lazy-fetch.ts). Every bound here is a hang bound: generous on a loaded machine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../support/ports";
import { startScriptedServer, type ScriptedHandler, type ScriptedServer } from "../../../support/scripted-server";
import { Transport } from "../../../../src/core/http/transport";
import { NetworkError, type RegistryWarning, type RequestLogEntry } from "../../../../src/index";

let server: ScriptedServer;
let base: string;

beforeAll(async () => {
  server = await startScriptedServer();
  base = server.base;
});
afterAll(() => server.close());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Transport: the attempt", () => {
  it("asks for no HTTP cache on every request, and undici sends it (content.browser.test.ts reads a moved tag)", async () => {
    server.handle((_request, response) => response.writeHead(200, { "cache-control": "max-age=3600" }).end("fresh"));
    const seen: Request[] = [];
    const transport = new Transport({ fetch: (input) => (seen.push(input as Request), globalThis.fetch(input)) });
    for (const method of ["GET", "HEAD"]) {
      const response = await transport.send({ method, url: new URL(`${base}/v2/r/manifests/latest`) });
      expect(response.status).toBe(200);
    }
    expect(seen.map((request) => request.cache)).toEqual(["no-store", "no-store"]);
  });

  it("answers any status as a response, and no answer as a NetworkError naming the URL", async () => {
    server.handle((_request, response) => response.writeHead(418).end("teapot"));
    const response = await new Transport().send({ method: "GET", url: new URL(`${base}/v2/`) });
    expect(response.status).toBe(418);
    expect(await response.text()).toBe("teapot");

    const url = new URL(`http://127.0.0.1:${await freePort()}/v2/`);
    const error = await new Transport().send({ method: "GET", url }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ reason: "connection", method: "GET", url: url.href });
  });

  it("gives a timeout NetworkError when the headers do not come in time", async () => {
    server.handle(() => undefined);
    const error = await new Transport({ timeout: 200 })
      .send({ method: "GET", url: new URL(`${base}/slow`) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).reason).toBe("timeout");
  });

  it("rejects with the caller's abort reason, not a NetworkError", async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const reason = new Error("the caller gave up");
    const sending = new Transport({ timeout: 30_000 }).send({
      method: "GET",
      url: new URL(`${base}/never`),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 20);
    expect(await sending.catch((caught: unknown) => caught)).toBe(reason);
  });
});

describe("Transport: the body watchdog", () => {
  const stall: ScriptedHandler = (_request, response) => {
    response.writeHead(200, { "content-length": "100" });
    response.write("x".repeat(10));
  };
  const cut: ScriptedHandler = (request, response) => {
    response.writeHead(200, { "content-length": "100" });
    response.write("x".repeat(10), () => request.socket.destroy());
  };
  const trickle: ScriptedHandler = (_request, response) => {
    response.writeHead(200, { "content-length": "1000" });
    const timer = setInterval(() => (response.writableEnded ? clearInterval(timer) : response.write("x")), 50);
    response.on("close", () => clearInterval(timer));
  };

  it.each([
    ["stalls mid-way", stall, { timeout: 200, stream: true }, "timeout"],
    ["is cut off by the server", cut, { timeout: 10_000, stream: true }, "connection"],
    // Not a stream: the whole body is bounded, so a trickle cannot hold a small read for ever.
    ["trickles past the timeout", trickle, { timeout: 400, stream: false }, "timeout"],
  ] as const)(
    "errors a body that %s with a NetworkError (%o, %s)",
    async (_name, behaviour, { timeout, stream }, reason) => {
      server.handle(behaviour);
      const response = await new Transport({ timeout }).send({ method: "GET", url: new URL(`${base}/body`), stream });
      const error = await response.arrayBuffer().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).reason).toBe(reason);
    },
  );

  it("leaves a 204 alone: no body to guard", async () => {
    server.handle((_request, response) => response.writeHead(204).end());
    const response = await new Transport({ timeout: 200 }).send({ method: "DELETE", url: new URL(`${base}/gone`) });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});

describe("Transport: request bodies", () => {
  it("sends a large byte body with its Content-Length, not chunked, and the bytes intact", async () => {
    const bytes = Uint8Array.from({ length: 512 * 1024 }, (_, index) => index % 251);
    let seen: { length?: string; encoding?: string; received: number; same: boolean } | undefined;
    server.handle((request, response) => {
      const parts: Buffer[] = [];
      request.on("data", (part: Buffer) => parts.push(part));
      request.on("end", () => {
        const body = Buffer.concat(parts);
        seen = {
          length: request.headers["content-length"],
          encoding: request.headers["transfer-encoding"],
          received: body.byteLength,
          same: body.equals(bytes),
        };
        response.writeHead(202).end();
      });
    });
    const response = await new Transport().send({ method: "PATCH", url: new URL(`${base}/upload`), body: bytes });
    expect(response.status).toBe(202);
    expect(seen).toEqual({
      length: String(bytes.byteLength),
      encoding: undefined,
      received: bytes.byteLength,
      same: true,
    });
  });

  it("restarts the timeout with every piece of a streamed body: a slow upload that never stalls goes through", async () => {
    server.handle((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(201).end());
    });
    // Ten pieces 150 ms apart outlast the 1 s timeout as a whole, while no gap comes near it.
    const pieces = 10;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === pieces) return controller.close();
        await pause(150);
        sent++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const started = Date.now();
    const response = await new Transport({ timeout: 1000 }).send({
      method: "PATCH",
      url: new URL(`${base}/slow-upload`),
      body,
    });
    expect(response.status).toBe(201);
    expect(sent).toBe(pieces);
    expect(Date.now() - started).toBeGreaterThan(1000);
  });
});

describe("Transport: the fetch wrappers", () => {
  it("sends the same attempt on the platform fetch unwrapped as through a caller's fetch, which receives a Request", async () => {
    const seen: Array<{ method?: string; accept?: string; agent?: string; body: string }> = [];
    server.handle((request, response) => {
      let body = "";
      request.on("data", (data: Buffer) => (body += data.toString()));
      request.on("end", () => {
        seen.push({
          method: request.method,
          accept: request.headers.accept,
          agent: request.headers["user-agent"],
          body,
        });
        response.writeHead(302, { location: `${base}/elsewhere` }).end();
      });
    });
    const received: unknown[] = [];
    const callers = new Transport({
      fetch: (input, init) => {
        received.push(input);
        return globalThis.fetch(input, init);
      },
    });
    const attempt = {
      method: "POST",
      url: new URL(`${base}/oauth2/token`),
      headers: new Headers({ accept: "application/json" }),
      body: "grant_type=x",
    };
    for (const transport of [new Transport(), callers]) {
      const response = await transport.send(attempt);
      expect(response.status, "redirects go back to the requester").toBe(302);
    }
    expect(received).toHaveLength(1);
    expect(received[0]).toBeInstanceOf(Request);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toMatchObject({ method: "POST", accept: "application/json", body: "grant_type=x" });
    expect(seen[0]!.agent).toMatch(/^acrkit\//);
  });

  it("logs every attempt without secrets, answered or not, and a logger that throws fails nothing", async () => {
    server.handle((_request, response) => response.writeHead(200, { warning: '299 - "going away"' }).end());
    const entries: RequestLogEntry[] = [];
    const transport = new Transport({
      logger: (entry) => {
        entries.push(entry);
        throw new Error("a broken logger");
      },
    });
    expect(
      (await transport.send({ method: "GET", url: new URL(`${base}/v2/?sig=SecretSignature0123456789`) })).status,
    ).toBe(200);
    const unanswered = new URL(`http://127.0.0.1:${await freePort()}/v2/`);
    expect(await transport.send({ method: "HEAD", url: unanswered }).catch((caught: unknown) => caught)).toBeInstanceOf(
      NetworkError,
    );
    expect(entries).toMatchObject([
      { method: "GET", status: 200, warnings: ['299 - "going away"'] },
      { method: "HEAD", url: unanswered.href, status: 0 },
    ]);
    expect(entries[0]!.url).not.toContain("SecretSignature0123456789");
    expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("hands each distinct OCI warning to onWarning once, and a handler that throws fails nothing", async () => {
    server.handle((_request, response) =>
      response.writeHead(200, { warning: '299 - "deprecated repository", 199 - "a cache note"' }).end(),
    );
    const warnings: RegistryWarning[] = [];
    const transport = new Transport({
      onWarning: (warning) => {
        warnings.push(warning);
        throw new Error("a broken handler");
      },
    });
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await transport.send({ method: "GET", url: new URL(`${base}/v2/app/tags/list`) })).status).toBe(200);
    expect(warnings).toEqual([
      {
        text: "deprecated repository",
        code: 299,
        agent: "-",
        method: "GET",
        url: `${base}/v2/app/tags/list`,
        status: 200,
      },
    ]);
  });
});
