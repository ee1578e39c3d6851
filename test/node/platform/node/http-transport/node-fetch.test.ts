/**
 * acrkit/node's default fetch on Node (node-fetch.ts) against real servers on loopback: what a registry client needs
 * of fetch (manual redirects, every header line, null bodies, 1xx skipped, aborts, errors), checked one behaviour at
 * a time on node:http servers written for the odd answers, and through acrkit's Transport where the error mapping
 * matters. Every bound here is a hang bound.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Transport } from "../../../../../src/core/http/transport";
import { NetworkError } from "../../../../../src/index";
import { getDefaultFetch } from "../../../../../src/core/http/default-fetch";
import "../../../../../src/platform/node/index";
import { nodeFetch } from "../../../../../src/platform/node/http-transport/node-fetch";
import { freePort } from "../../../../support/ports";
import { startScriptedServer, type ScriptedServer } from "../../../../support/scripted-server";
import { exposedTexts, leakedSecrets } from "../../../../support/secret-scan";

let server: ScriptedServer;
const connections = { count: 0 };

beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const manual = { redirect: "manual" } as const;
const url = (path: string) => new URL(`${server.base}${path}`);
const handle = (handler: (request: IncomingMessage, response: ServerResponse) => void) =>
  server.handle((request, response) => {
    if (!(request.socket as { counted?: boolean }).counted) {
      (request.socket as { counted?: boolean }).counted = true;
      connections.count++;
    }
    handler(request, response);
  });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("nodeFetch: the answer", () => {
  it("is what acrkit/node installs as the default on Node", () => {
    expect(getDefaultFetch()).toBe(nodeFetch);
  });

  it("returns a redirect as it came, status and Location, and never follows it", async () => {
    const hits: string[] = [];
    handle((request, response) => {
      hits.push(request.url!);
      if (request.url === "/from") response.writeHead(307, { location: "/to" }).end("moved");
      else response.end("target");
    });
    const response = await nodeFetch(url("/from"), manual);
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/to");
    expect(response.redirected).toBe(false);
    expect(response.url).toBe(url("/from").href);
    expect(await response.text()).toBe("moved");
    expect(hits).toEqual(["/from"]);
  });

  it("keeps every header line (two WWW-Authenticate, two Link), the status text and the URL", async () => {
    handle((_request, response) => {
      response.writeHead(401, "Needs Login", [
        ["WWW-Authenticate", 'Bearer realm="https://a.example/token",service="a"'],
        ["WWW-Authenticate", 'Basic realm="b"'],
        ["Link", '</v2/_catalog?n=1&last=a>; rel="next"'],
        ["Link", '</v2/_catalog?n=1&last=b>; rel="next"'],
        ["Docker-Distribution-API-Version", "registry/2.0"],
      ]);
      response.end();
    });
    const response = await nodeFetch(url("/v2/?x=1"), manual);
    expect(response.status).toBe(401);
    expect(response.statusText).toBe("Needs Login");
    expect(response.url).toBe(url("/v2/?x=1").href);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer realm="https://a.example/token",service="a", Basic realm="b"',
    );
    expect(response.headers.get("link")).toBe(
      '</v2/_catalog?n=1&last=a>; rel="next", </v2/_catalog?n=1&last=b>; rel="next"',
    );
    expect(response.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    await response.body?.cancel();
  });

  it("gives HEAD, 204 and 304 no body, and reuses the connection after each", async () => {
    handle((request, response) => {
      if (request.url === "/204") response.writeHead(204).end();
      else if (request.url === "/304") response.writeHead(304, { etag: '"a"' }).end();
      else
        response
          .writeHead(200, { "content-length": "5", "content-type": "text/plain" })
          .end(request.method === "HEAD" ? undefined : "hello");
    });
    const before = connections.count;
    const head = await nodeFetch(url("/blob"), { ...manual, method: "HEAD" });
    expect([head.status, head.body, head.headers.get("content-length")]).toEqual([200, null, "5"]);
    const none = await nodeFetch(url("/204"), manual);
    expect([none.status, none.body]).toEqual([204, null]);
    const same = await nodeFetch(url("/304"), manual);
    expect([same.status, same.body, same.headers.get("etag")]).toEqual([304, null, '"a"']);
    const get = await nodeFetch(url("/blob"), manual);
    expect(await get.text()).toBe("hello");
    // A new connection only if the pool's idle one was closed by the server in between (it is not: keep-alive).
    expect(connections.count - before).toBeLessThanOrEqual(1);
  });

  it("skips a 1xx (103 Early Hints) and answers with the final response", async () => {
    handle((_request, response) => {
      response.writeEarlyHints({ link: "</style.css>; rel=preload" });
      setTimeout(() => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'), 20);
    });
    const response = await nodeFetch(url("/early"), manual);
    expect(response.status).toBe(200);
    expect(response.headers.get("link")).toBeNull();
    expect(await response.json()).toEqual({ ok: true });
  });

  it("refuses what fetch refuses: a GET with a body, a URL with credentials; sends other redirect modes to fetch", async () => {
    await expect(nodeFetch(url("/"), { ...manual, method: "GET", body: "x" })).rejects.toThrow(TypeError);
    await expect(nodeFetch(new URL(`http://user:pass@127.0.0.1:1/`), manual)).rejects.toThrow(/credentials/);
    handle((request, response) => {
      if (request.url === "/from") response.writeHead(302, { location: "/to" }).end();
      else response.end(`at ${request.url}`);
    });
    const followed = await nodeFetch(url("/from"), { redirect: "follow" });
    expect([followed.redirected, await followed.text()]).toEqual([true, "at /to"]);
  });

  it("sends a Request and the init it was built from, the init winning (the logging path)", async () => {
    handle((request, response) => {
      let body = "";
      request.on("data", (data: Buffer) => (body += data.toString()));
      request.on("end", () => response.end(`${request.method} ${request.headers["content-length"]} ${body}`));
    });
    const init = { ...manual, method: "PUT", body: "manifest", headers: { "content-type": "x/y" } };
    const response = await nodeFetch(new Request(url("/put"), init), init);
    expect(await response.text()).toBe("PUT 8 manifest");
  });
});

describe("nodeFetch: aborts reject with the signal's reason", () => {
  it("before sending: no request reaches the server", async () => {
    let hits = 0;
    handle((_request, response) => (hits++, response.end()));
    const reason = new Error("gave up early");
    await expect(nodeFetch(url("/"), { ...manual, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await pause(50);
    expect(hits).toBe(0);
  });

  it("while waiting for the headers, and the server sees the connection close", async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    handle((request) => request.socket.once("close", closed));
    const controller = new AbortController();
    const reason = new Error("gave up waiting");
    const sending = nodeFetch(url("/stall"), { ...manual, signal: controller.signal });
    await pause(100);
    controller.abort(reason);
    await expect(sending).rejects.toBe(reason);
    await serverSawClose;
  });

  it("during the body: the pending read rejects with the reason", async () => {
    handle((_request, response) => {
      response.writeHead(200, { "content-length": "1000" });
      response.write("x".repeat(10));
    });
    const controller = new AbortController();
    const reason = new Error("gave up reading");
    const response = await nodeFetch(url("/half"), { ...manual, signal: controller.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).value?.byteLength).toBe(10);
    const reading = reader.read();
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
  });
});

describe("nodeFetch through acrkit's Transport: failures keep their NetworkError classes", () => {
  const SECRET = "s3cr3t-token-value-0123456789";
  const send = (target: URL, transport = new Transport()) =>
    transport
      .send({ method: "GET", url: target, headers: new Headers({ authorization: `Bearer ${SECRET}` }) })
      .catch((caught: unknown) => caught);
  const noSecret = (error: unknown) => expect(leakedSecrets(exposedTexts(error), [SECRET])).toEqual([]);

  it("a refused connection is a NetworkError 'connection' without the Authorization value", async () => {
    const error = await send(new URL(`http://127.0.0.1:${await freePort()}/v2/`));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ reason: "connection", method: "GET" });
    noSecret(error);
  });

  it("a reset before the answer is 'connection'; headers that never come are 'timeout'", async () => {
    handle((request) => request.socket.destroy());
    const reset = await send(url("/reset"));
    expect(reset).toMatchObject({ name: "NetworkError", reason: "connection" });
    noSecret(reset);
    handle(() => undefined);
    const stalled = await send(url("/stall"), new Transport({ timeout: 200 }));
    expect(stalled).toMatchObject({ name: "NetworkError", reason: "timeout" });
    noSecret(stalled);
  });

  it("a body cut short is 'connection' on the read, a stalled body 'timeout'", async () => {
    handle((_request, response) => {
      response.writeHead(200, { "content-length": "100000" });
      response.write("x".repeat(1000), () => response.socket?.destroy());
    });
    const cut = await new Transport().send({ method: "GET", url: url("/cut") });
    const cutError = await cut.arrayBuffer().catch((caught: unknown) => caught);
    expect(cutError).toMatchObject({ name: "NetworkError", reason: "connection" });
    noSecret(cutError);

    handle((_request, response) => {
      response.writeHead(200, { "content-length": "100000" });
      response.write("x".repeat(1000));
    });
    const stalled = await new Transport({ timeout: 300 }).send({ method: "GET", url: url("/stalled"), stream: true });
    await expect(stalled.arrayBuffer()).rejects.toMatchObject({ name: "NetworkError", reason: "timeout" });
  });

  it("a status outside 200-599 is a NetworkError, as fetch cannot represent it", async () => {
    const raw: NetServer = createNetServer((socket) => {
      socket.once("data", () => socket.end("HTTP/1.1 999 Odd\r\ncontent-length: 0\r\n\r\n"));
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    const port = (raw.address() as { port: number }).port;
    const error = await send(new URL(`http://127.0.0.1:${port}/odd`));
    expect(error).toMatchObject({ name: "NetworkError", reason: "connection" });
    expect(String((error as NetworkError).cause)).toMatch(/fetch failed/);
    await new Promise((resolve) => raw.close(resolve));
  });
});
