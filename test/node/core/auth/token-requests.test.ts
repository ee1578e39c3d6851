/**
 * The token protocol's requests against a loopback token service: what each grant sends (ACR's exchange and token
 * endpoints, Docker's GET realm), how the answer becomes a token with a refresh time, and the typed errors of a
 * refusal or of an answer that is no token response.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../../support/scripted-server";
import {
  exchangeAadToken,
  requestAccessTokenByGet,
  requestAccessTokenByPost,
  type TokenService,
} from "../../../../src/core/auth/token-requests";
import { Requester } from "../../../../src/core/http/requester";
import { RetryPolicy } from "../../../../src/core/http/retry-policy";
import { SecretStore } from "../../../../src/core/http/secret-store";
import { Transport } from "../../../../src/core/http/transport";
import { AuthenticationError } from "../../../../src/index";

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  authorization?: string;
}

let answer: (seen: Seen, response: ServerResponse) => void;
const seen: Seen[] = [];
let server: ScriptedServer;
let service: TokenService;

beforeAll(async () => {
  server = await startScriptedServer();
  server.handle((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const entry = {
        method: request.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        form: new URLSearchParams(Buffer.concat(parts).toString()),
        authorization: request.headers.authorization,
      };
      seen.push(entry);
      answer(entry, response);
    });
  });
  service = { realm: new URL(`${server.base}/oauth2/token`), service: "registry.test" };
});
afterAll(() => server.close());

const requester = () =>
  new Requester(new Transport({ timeout: 5000 }), new RetryPolicy({ limit: 0 }), new SecretStore());
const json =
  (body: unknown, status = 200) =>
  (_seen: Seen, response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
/** A JWT (unsigned: only `exp` is read) that expires at `exp` seconds since the epoch. */
const jwt = (exp: number) => ["e30", Buffer.from(JSON.stringify({ exp })).toString("base64url"), "sig"].join(".");

describe("token requests", () => {
  it("exchanges an AAD token at /oauth2/exchange for a refresh token renewed five minutes before its exp", async () => {
    seen.length = 0;
    const exp = Math.floor(Date.now() / 1000) + 3600;
    answer = json({ refresh_token: jwt(exp) });
    const token = await exchangeAadToken(requester(), service, "aad-token-value", "tenant-1", "repository:app:pull");
    expect(token.value).toBe(jwt(exp));
    expect(token.refreshAt).toBe(exp * 1000 - 5 * 60_000);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.path).toBe("/oauth2/exchange");
    expect(Object.fromEntries(seen[0]!.form)).toEqual({
      grant_type: "access_token",
      service: "registry.test",
      access_token: "aad-token-value",
      tenant: "tenant-1",
    });
  });

  it("asks /oauth2/token with the refresh-token grant, one scope parameter per resource", async () => {
    seen.length = 0;
    answer = json({ access_token: "access-1", expires_in: 600 });
    const before = Date.now();
    const token = await requestAccessTokenByPost(
      requester(),
      service,
      "repository:a:pull repository:b:pull,push",
      "refresh-1",
    );
    expect(token.value).toBe("access-1");
    // Renewed 30 s before the expires_in the service gave.
    expect(token.refreshAt).toBeGreaterThanOrEqual(before + 570_000);
    expect(token.refreshAt).toBeLessThanOrEqual(Date.now() + 570_000);
    expect(seen[0]!.form.get("grant_type")).toBe("refresh_token");
    expect(seen[0]!.form.get("refresh_token")).toBe("refresh-1");
    expect(seen[0]!.form.getAll("scope")).toEqual(["repository:a:pull", "repository:b:pull,push"]);
  });

  it("asks anonymously with the password grant and no credential", async () => {
    seen.length = 0;
    answer = json({ access_token: "anonymous-access" });
    expect((await requestAccessTokenByPost(requester(), service, "repository:a:pull", undefined)).value).toBe(
      "anonymous-access",
    );
    expect(seen[0]!.form.get("grant_type")).toBe("password");
    expect(seen[0]!.form.has("refresh_token")).toBe(false);
  });

  it("GETs the realm with Basic credentials and reads Docker's `token` field", async () => {
    seen.length = 0;
    answer = json({ token: "docker-token" });
    const token = await requestAccessTokenByGet(requester(), service, "repository:a:pull", {
      username: "user",
      password: "pässword",
    });
    expect(token.value).toBe("docker-token");
    expect(seen[0]!.method).toBe("GET");
    expect(seen[0]!.query.get("service")).toBe("registry.test");
    expect(seen[0]!.query.get("scope")).toBe("repository:a:pull");
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from("user:pässword").toString("base64")}`);
  });

  it("turns a 401 into an AuthenticationError with the status, the code and the scope", async () => {
    answer = json({ errors: [{ code: "UNAUTHORIZED", message: "bad credential" }] }, 401);
    const error = await requestAccessTokenByPost(requester(), service, "repository:a:pull", "refresh-1").catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, code: "UNAUTHORIZED", scope: "repository:a:pull", method: "POST" });
  });

  it.each([
    [
      "an HTML page",
      (_seen: Seen, response: ServerResponse) =>
        response.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"),
      /not a token response/,
    ],
    ["a JSON array", json([{ access_token: "x" }]), /not a token response/],
    ["an object without a token", json({ expires_in: 60 }), /has no access_token/],
    ["an empty token", json({ access_token: "" }), /has no access_token/],
  ])("refuses %s with an AuthenticationError", async (_name, behaviour, message) => {
    answer = behaviour;
    const error = await requestAccessTokenByPost(requester(), service, "repository:a:pull", undefined).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(message);
  });
});
