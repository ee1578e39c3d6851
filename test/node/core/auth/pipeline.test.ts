/**
 * The auth layer on a real loopback registry: a request goes out as it is until a challenge shows the scheme, one 401
 * is answered, later requests carry the Authorization at once, a final 401 is an AuthenticationError, and a caller
 * that expects a 401 gets it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../../support/scripted-server";
import { Authenticator } from "../../../../src/core/auth/authenticator";
import { Pipeline } from "../../../../src/core/auth/pipeline";
import { Requester } from "../../../../src/core/http/requester";
import { RetryPolicy } from "../../../../src/core/http/retry-policy";
import { SecretStore } from "../../../../src/core/http/secret-store";
import { Transport } from "../../../../src/core/http/transport";
import { AuthenticationError, BasicCredential, type RegistryCredential } from "../../../../src/index";

const PASSWORD = "pipeline-test-password-7f3a";
const GOOD = `Basic ${Buffer.from(`user:${PASSWORD}`).toString("base64")}`;

let registry: (request: IncomingMessage, response: ServerResponse) => void;
const sent: Array<{ path: string; authorization?: string }> = [];
let server: ScriptedServer;
let base: URL;

beforeAll(async () => {
  server = await startScriptedServer();
  server.handle((request, response) => {
    sent.push({ path: request.url ?? "", authorization: request.headers.authorization });
    request.resume();
    registry(request, response);
  });
  base = new URL(`${server.base}/`);
});
afterAll(() => server.close());

/** A registry with Basic auth that takes `accepted` as the only good Authorization. */
const basicRegistry =
  (accepted = GOOD) =>
  (request: IncomingMessage, response: ServerResponse) => {
    if (request.headers.authorization === accepted)
      return response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    response.writeHead(401, { "www-authenticate": 'Basic realm="test registry"', "content-type": "application/json" });
    response.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
  };

function pipeline(credential?: RegistryCredential): Pipeline {
  const requester = new Requester(new Transport({ timeout: 5000 }), new RetryPolicy({ limit: 0 }), new SecretStore());
  return new Pipeline(
    requester,
    new Authenticator(credential, requester, { endpoint: base, audience: "https://management.azure.com" }),
  );
}

const get = (path: string, expect: number[] = [200]) => ({
  method: "GET" as const,
  url: new URL(path, base),
  scope: "repository:app:pull",
  expect,
});

describe("Pipeline", () => {
  it("sends without Authorization to a registry that asks for none", async () => {
    sent.length = 0;
    registry = (_request, response) => response.writeHead(200).end("open");
    const answer = await pipeline(new BasicCredential("user", PASSWORD)).read(get("/v2/"), (response) =>
      response.text(),
    );
    expect(answer).toBe("open");
    expect(sent).toEqual([{ path: "/v2/", authorization: undefined }]);
  });

  it("answers one challenge, then authorizes every later request at once", async () => {
    sent.length = 0;
    registry = basicRegistry();
    const client = pipeline(new BasicCredential("user", PASSWORD));
    expect(await client.read(get("/v2/app/tags/list"), (response) => response.text())).toBe("ok");
    expect(await client.read(get("/v2/app/manifests/v1"), (response) => response.text())).toBe("ok");
    expect(sent).toEqual([
      { path: "/v2/app/tags/list", authorization: undefined },
      { path: "/v2/app/tags/list", authorization: GOOD },
      { path: "/v2/app/manifests/v1", authorization: GOOD },
    ]);
  });

  it("turns a refused credential into an AuthenticationError with the status and code, without the password", async () => {
    registry = basicRegistry("Basic another");
    const error = await pipeline(new BasicCredential("user", PASSWORD))
      .send(get("/v2/app/tags/list"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, code: "UNAUTHORIZED", scope: "repository:app:pull" });
    expect((error as Error).message).toContain("refused the credential");
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(PASSWORD);
  });

  it("says a credential is required when there is none", async () => {
    registry = basicRegistry();
    const error = await pipeline()
      .send(get("/v2/app/tags/list"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain("requires a credential");
  });

  it("hands a 401 to a caller that expects one, without answering it", async () => {
    sent.length = 0;
    registry = basicRegistry();
    const response = await pipeline(new BasicCredential("user", PASSWORD)).send(get("/v2/", [200, 401]));
    expect(response.status).toBe(401);
    await response.body?.cancel();
    expect(sent).toHaveLength(1);
  });
});
