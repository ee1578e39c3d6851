/**
 * The request path against a real loopback server: User-Agent, error mapping, retries of idempotent requests only,
 * timeouts, aborts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../support/ports";
import { startScriptedServer, type ScriptedHandler, type ScriptedServer } from "../../../support/scripted-server";
import { Requester } from "../../../../src/core/http/requester";
import { RetryPolicy, type RetryOptions } from "../../../../src/core/http/retry-policy";
import { SecretStore } from "../../../../src/core/http/secret-store";
import { Transport, type TransportOptions } from "../../../../src/core/http/transport";
import { NetworkError, RegistryError, VERSION } from "../../../../src/index";

let handler: ScriptedHandler = (_request, response) => response.end();
let server: ScriptedServer;
let base: string;

beforeAll(async () => {
  server = await startScriptedServer();
  server.handle((request, response) => handler(request, response));
  base = server.base;
});
afterAll(() => server.close());

const fast = { retry: { limit: 2, backoffLimitMs: 20 } };

/** A requester over a fresh transport, as a client builds one. */
function requester(options: TransportOptions & { retry?: RetryOptions } = {}): Requester {
  return new Requester(new Transport(options), new RetryPolicy(options.retry), new SecretStore());
}

describe("Requester", () => {
  it("sends acrkit's User-Agent", async () => {
    let agent = "";
    handler = (request, response) => {
      agent = request.headers["user-agent"] ?? "";
      response.end();
    };
    await requester({ userAgent: "my-app/2" }).send({
      expect: [200],
      method: "GET",
      url: new URL(base),
      idempotent: true,
    });
    expect(agent).toBe(`acrkit/${VERSION} my-app/2`);
  });

  it("maps a registry error body into RegistryError fields", async () => {
    handler = (_request, response) => {
      response.writeHead(503, { "content-type": "application/json", "x-ms-request-id": "req-1" });
      response.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down","detail":{"n":1}},{"code":"OTHER"}]}');
    };
    const error = await requester({ retry: { limit: 0 } })
      .send({ expect: [200], method: "GET", url: new URL(`${base}/v2/`), idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({
      statusCode: 503,
      code: "TOOMANYREQUESTS",
      method: "GET",
      requestId: "req-1",
      url: `${base}/v2/`,
    });
    expect((error as RegistryError).details).toEqual([
      { code: "TOOMANYREQUESTS", message: "slow down", detail: { n: 1 } },
      { code: "OTHER", message: undefined, detail: undefined },
    ]);
  });

  it("turns an HTML 502 page into a RegistryError with a short snippet", async () => {
    handler = (_request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end(`<html><body><h1>502 Bad Gateway</h1>${"x".repeat(5000)}</body></html>`);
    };
    const error = (await requester({ retry: { limit: 0 } })
      .send({ expect: [200], method: "GET", url: new URL(base), idempotent: true })
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.statusCode).toBe(502);
    expect(error.code).toBeUndefined();
    expect(error.bodySnippet).toContain("502 Bad Gateway");
    expect(error.bodySnippet!.length).toBeLessThanOrEqual(201);
  });

  it("retries idempotent requests on 503, honouring Retry-After", async () => {
    let attempts = 0;
    handler = (_request, response) => {
      attempts++;
      if (attempts < 3) {
        response.writeHead(503, { "retry-after": "0" });
        response.end();
      } else response.end("ok");
    };
    const response = await requester(fast).send({ expect: [200], method: "GET", url: new URL(base), idempotent: true });
    expect(await response.text()).toBe("ok");
    expect(attempts).toBe(3);
  });

  it("does not retry a request that is not idempotent", async () => {
    let attempts = 0;
    handler = (_request, response) => {
      attempts++;
      response.writeHead(503);
      response.end();
    };
    await expect(
      requester(fast).send({ expect: [200], method: "POST", url: new URL(base), idempotent: false }),
    ).rejects.toBeInstanceOf(RegistryError);
    expect(attempts).toBe(1);
  });

  it("returns an expected 4xx response to the caller unretried", async () => {
    let attempts = 0;
    handler = (_request, response) => {
      attempts++;
      response.writeHead(404);
      response.end();
    };
    expect(
      (await requester(fast).send({ expect: [200, 404], method: "GET", url: new URL(base), idempotent: true })).status,
    ).toBe(404);
    expect(attempts).toBe(1);
  });

  it("gives a NetworkError when nothing answers", async () => {
    const port = await freePort();
    const error = await requester({ retry: { limit: 0 } })
      .send({ expect: [200], method: "GET", url: new URL(`http://127.0.0.1:${port}/`), idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ reason: "connection", method: "GET" });
  });

  it("gives a timeout NetworkError when headers do not come in time", async () => {
    handler = () => undefined; // never answers
    const error = await requester({ retry: { limit: 0 }, timeout: 100 })
      .send({ expect: [200], method: "GET", url: new URL(base), idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "NetworkError", reason: "timeout" });
  });

  it("rejects with the signal's reason when aborted", async () => {
    handler = () => undefined;
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      requester().send({
        expect: [200],
        method: "GET",
        url: new URL(base),
        idempotent: true,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });
});
