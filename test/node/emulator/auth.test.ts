import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";
import { basic, bearer, claimsOf, errorCode, postForm, refreshToken } from "./helpers";

let started: StartedEmulator;
afterEach(async () => started?.close());

function challengeOf(response: Response): string {
  return response.headers.get("www-authenticate") ?? "";
}

describe("401 challenges", () => {
  it("carries realm and service only on GET /v2/", async () => {
    started = await startEmulator();
    const response = await fetch(`${started.url}/v2/`);
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toBe(`Bearer realm="${started.url}/oauth2/token",service="${started.service}"`);
    expect(response.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
  });

  it.each([
    ["GET", "/acr/v1/_catalog", "registry:catalog:*"],
    ["GET", "/v2/_catalog", "registry:catalog:*"],
    ["GET", "/v2/team/app/manifests/v1", "repository:team/app:pull"],
    ["HEAD", "/v2/team/app/blobs/sha256:" + "a".repeat(64), "repository:team/app:pull"],
    ["GET", "/v2/team/app/tags/list", "repository:team/app:pull"],
    ["GET", "/v2/team/app/referrers/sha256:" + "a".repeat(64), "repository:team/app:pull"],
    ["POST", "/v2/team/app/blobs/uploads/", "repository:team/app:pull,push"],
    ["PUT", "/v2/team/app/manifests/v1", "repository:team/app:pull,push"],
    ["DELETE", "/v2/team/app/manifests/sha256:" + "a".repeat(64), "repository:team/app:delete"],
    ["DELETE", "/acr/v1/team/app", "repository:team/app:delete"],
    ["DELETE", "/acr/v1/team/app/_tags/v1", "repository:team/app:delete"],
    ["GET", "/acr/v1/team/app/_tags", "repository:team/app:metadata_read"],
    ["GET", "/acr/v1/team/app/_manifests", "repository:team/app:metadata_read"],
    ["PATCH", "/acr/v1/team/app", "repository:team/app:metadata_write"],
    [
      "POST",
      "/v2/team/app/blobs/uploads/?mount=sha256:" + "a".repeat(64) + "&from=other",
      "repository:team/app:pull,push repository:other:pull",
    ],
  ])("%s %s asks for %s", async (method, path, scope) => {
    started = await startEmulator();
    const response = await fetch(`${started.url}${path}`, { method });
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toBe(
      `Bearer realm="${started.url}/oauth2/token",service="${started.service}",scope="${scope}"`,
    );
  });

  it("has ACR's UNAUTHORIZED body with one detail per action", async () => {
    started = await startEmulator();
    const response = await fetch(`${started.url}/v2/repo/blobs/uploads/`, { method: "POST" });
    expect(await response.json()).toEqual({
      errors: [
        {
          code: "UNAUTHORIZED",
          message: "authentication required, visit https://aka.ms/acr/authorization for more information.",
          detail: [
            { Type: "repository", Name: "repo", Action: "pull" },
            { Type: "repository", Name: "repo", Action: "push" },
          ],
        },
      ],
    });
  });

  it("adds error=insufficient_scope for a valid token lacking access and error=invalid_token for a bad one", async () => {
    started = await startEmulator();
    const pullOnly = await bearer(started, "repository:repo:pull");
    const push = await fetch(`${started.url}/v2/repo/blobs/uploads/`, {
      method: "POST",
      headers: { authorization: pullOnly },
    });
    expect(push.status).toBe(401);
    expect(challengeOf(push)).toContain(',scope="repository:repo:pull,push",error="insufficient_scope"');
    const tampered = pullOnly.slice(0, -4) + "AAAA";
    const bad = await fetch(`${started.url}/v2/repo/tags/list`, { headers: { authorization: tampered } });
    expect(bad.status).toBe(401);
    expect(challengeOf(bad)).toContain(',error="invalid_token"');
    const other = await startEmulator();
    try {
      const foreign = await fetch(`${other.url}/v2/repo/tags/list`, { headers: { authorization: pullOnly } });
      expect(challengeOf(foreign)).toContain('error="invalid_token"');
    } finally {
      await other.close();
    }
  });
});

describe("token endpoints", () => {
  it("exchanges an AAD token for a refresh token and that for a scoped access token", async () => {
    started = await startEmulator();
    await started.emulator.seedImage({ repository: "team/app", tags: ["v1"] });
    const refresh = await refreshToken(started);
    const claims = claimsOf(refresh);
    expect(claims).toMatchObject({
      iss: "Azure Container Registry",
      aud: started.service,
      grant_type: "refresh_token",
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3 * 3600);
    const { status, body } = await postForm(`${started.url}/oauth2/token?api-version=2021-07-01`, [
      ["grant_type", "refresh_token"],
      ["service", started.service],
      ["refresh_token", refresh],
      ["scope", "repository:team/app:pull registry:catalog:*"],
      ["scope", "repository:team/app:metadata_read"],
    ]);
    expect(status).toBe(200);
    const access = claimsOf(body.access_token as string);
    expect(access.access).toEqual([
      { type: "repository", name: "team/app", actions: ["pull"] },
      { type: "registry", name: "catalog", actions: ["*"] },
      { type: "repository", name: "team/app", actions: ["metadata_read"] },
    ]);
    expect((access.exp as number) - (access.nbf as number)).toBe(3600);
    const token = `Bearer ${body.access_token as string}`;
    const tags = await fetch(`${started.url}/acr/v1/team/app/_tags?api-version=2021-07-01`, {
      headers: { authorization: token },
    });
    expect(tags.status).toBe(200);
    const catalog = await fetch(`${started.url}/v2/_catalog`, { headers: { authorization: token } });
    expect(await catalog.json()).toEqual({ repositories: ["team/app"] });
  });

  it("refuses a rejected AAD token, a wrong service and an unknown grant", async () => {
    started = await startEmulator({ validateAadToken: (token) => token === "good" });
    const exchange = (fields: Array<[string, string]>) => postForm(`${started.url}/oauth2/exchange`, fields);
    expect(
      (
        await exchange([
          ["grant_type", "access_token"],
          ["service", started.service],
          ["access_token", "bad"],
        ])
      ).status,
    ).toBe(401);
    expect(
      (
        await exchange([
          ["grant_type", "access_token"],
          ["service", started.service],
          ["access_token", ""],
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await exchange([
          ["grant_type", "access_token"],
          ["service", "other.azurecr.io"],
          ["access_token", "good"],
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await exchange([
          ["grant_type", "magic"],
          ["service", started.service],
          ["access_token", "good"],
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await exchange([
          ["grant_type", "access_token"],
          ["service", started.service],
          ["access_token", "good"],
        ])
      ).status,
    ).toBe(200);
  });

  it("answers 413 to an oversized token form instead of reading it all", async () => {
    started = await startEmulator();
    const response = await fetch(`${started.url}/oauth2/exchange`, { method: "POST", body: "a=".padEnd(200_000, "x") });
    expect(response.status).toBe(413);
  });

  it("GET /oauth2/token with Basic returns token, expires_in and issued_at, cut to the user's scopes", async () => {
    started = await startEmulator({
      users: { admin: "secret", reader: { password: "pw", scopes: ["repository:team/app:pull,metadata_read"] } },
    });
    const url = `${started.url}/oauth2/token?service=${started.service}&scope=repository:team/app:pull,push&scope=registry:catalog:*`;
    const admin = await fetch(url, { headers: { authorization: basic("admin", "secret") } });
    const adminBody = (await admin.json()) as Record<string, unknown>;
    expect(adminBody).toMatchObject({ expires_in: 3600 });
    expect(adminBody.token).toBe(adminBody.access_token);
    expect(new Date(adminBody.issued_at as string).getTime()).toBeGreaterThan(0);
    expect(claimsOf(adminBody.access_token as string).access).toEqual([
      { type: "repository", name: "team/app", actions: ["pull", "push"] },
      { type: "registry", name: "catalog", actions: ["*"] },
    ]);
    const reader = (await (await fetch(url, { headers: { authorization: basic("reader", "pw") } })).json()) as Record<
      string,
      unknown
    >;
    expect(claimsOf(reader.access_token as string).access).toEqual([
      { type: "repository", name: "team/app", actions: ["pull"] },
    ]);
    expect((await fetch(url, { headers: { authorization: basic("admin", "wrong") } })).status).toBe(401);
  });

  it("POST grant_type=password with username and password issues a token", async () => {
    started = await startEmulator({ users: { admin: "secret" } });
    const { status, body } = await postForm(`${started.url}/oauth2/token`, [
      ["grant_type", "password"],
      ["service", started.service],
      ["username", "admin"],
      ["password", "secret"],
      ["scope", "repository:x:delete"],
    ]);
    expect(status).toBe(200);
    expect(claimsOf(body.access_token as string).access).toEqual([
      { type: "repository", name: "x", actions: ["delete"] },
    ]);
  });
});

describe("anonymous access", () => {
  it("works in both client styles when anonymous pull is on, and grants pull and catalog but never push", async () => {
    started = await startEmulator({ anonymousPull: true });
    await started.emulator.seedImage({ repository: "library/alpine", tags: ["3"] });
    const sdk = await postForm(`${started.url}/oauth2/token`, [
      ["service", started.service],
      ["scope", "registry:catalog:*"],
      ["grant_type", "password"],
    ]);
    expect(sdk.status).toBe(200);
    const catalog = await fetch(`${started.url}/acr/v1/_catalog?n=2`, {
      headers: { authorization: `Bearer ${sdk.body.access_token as string}` },
    });
    expect(await catalog.json()).toEqual({ repositories: ["library/alpine"] });
    const docker = await fetch(
      `${started.url}/oauth2/token?service=${started.service}&scope=repository:library/alpine:pull,push`,
    );
    const body = (await docker.json()) as Record<string, unknown>;
    expect(claimsOf(body.token as string).access).toEqual([
      { type: "repository", name: "library/alpine", actions: ["pull"] },
    ]);
    const manifest = await fetch(`${started.url}/v2/library/alpine/manifests/3`, {
      headers: { authorization: `Bearer ${body.token as string}` },
    });
    expect(manifest.status).toBe(200);
  });

  it("is refused at the token endpoint when anonymous pull is off", async () => {
    started = await startEmulator();
    const sdk = await postForm(`${started.url}/oauth2/token`, [
      ["service", started.service],
      ["scope", "repository:a:pull"],
      ["grant_type", "password"],
      ["refresh_token", ""],
    ]);
    expect(sdk.status).toBe(401);
    expect((await fetch(`${started.url}/oauth2/token?service=${started.service}&scope=repository:a:pull`)).status).toBe(
      401,
    );
  });
});

describe("credentials on API routes", () => {
  it("accepts Basic directly on /v2 and /acr/v1, enforcing a scoped user's access", async () => {
    started = await startEmulator({
      users: { admin: "secret", ci: { password: "pw", scopes: ["repository:team/app:pull"] } },
    });
    await started.emulator.seedImage({ repository: "team/app", tags: ["v1"] });
    const admin = { authorization: basic("admin", "secret") };
    expect((await fetch(`${started.url}/v2/`, { headers: admin })).status).toBe(200);
    expect((await fetch(`${started.url}/acr/v1/team/app`, { headers: admin })).status).toBe(200);
    const ci = { authorization: basic("ci", "pw") };
    expect((await fetch(`${started.url}/v2/team/app/tags/list`, { headers: ci })).status).toBe(200);
    const remove = await fetch(`${started.url}/v2/team/app/manifests/v1`, { method: "DELETE", headers: ci });
    expect(remove.status).toBe(401);
    expect(challengeOf(remove)).toContain('error="insufficient_scope"');
    const wrong = await fetch(`${started.url}/v2/team/app/tags/list`, {
      headers: { authorization: basic("admin", "nope") },
    });
    expect(wrong.status).toBe(401);
    expect(challengeOf(wrong)).toContain('error="invalid_token"');
  });

  it("accepts a refresh token as the Basic password of the null GUID user, like docker login", async () => {
    started = await startEmulator();
    await started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    const header = basic("00000000-0000-0000-0000-000000000000", await refreshToken(started));
    expect(
      (await fetch(`${started.url}/v2/app/manifests/v1`, { method: "HEAD", headers: { authorization: header } }))
        .status,
    ).toBe(200);
  });

  it("rejects an expired access token with invalid_token, and a fresh one works again", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    started = await startEmulator({ accessTokenLifetimeSeconds: 2, clock: () => now });
    await started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    const token = await bearer(started, "repository:app:pull");
    expect((await fetch(`${started.url}/v2/app/tags/list`, { headers: { authorization: token } })).status).toBe(200);
    now += 2_000;
    const expired = await fetch(`${started.url}/v2/app/tags/list`, { headers: { authorization: token } });
    expect(expired.status).toBe(401);
    expect(challengeOf(expired)).toContain('error="invalid_token"');
    const fresh = await bearer(started, "repository:app:pull");
    expect((await fetch(`${started.url}/v2/app/tags/list`, { headers: { authorization: fresh } })).status).toBe(200);
  });

  it("never challenges when authRequired is false", async () => {
    started = await startEmulator({ authRequired: false });
    await started.emulator.seedImage({ repository: "app", tags: ["v1"] });
    expect((await fetch(`${started.url}/v2/`)).status).toBe(200);
    expect((await fetch(`${started.url}/acr/v1/app/_tags`)).status).toBe(200);
    const deleted = await fetch(`${started.url}/acr/v1/app/_tags/v1`, { method: "DELETE" });
    expect(deleted.status).toBe(202);
  });

  it("logs each request with its auth kind and status", async () => {
    started = await startEmulator({ users: { admin: "secret" } });
    await fetch(`${started.url}/v2/`);
    await fetch(`${started.url}/v2/`, { headers: { authorization: basic("admin", "secret") } });
    expect(
      started.emulator.requests.map(({ method, path, status, auth, origin }) => ({
        method,
        path,
        status,
        auth,
        origin,
      })),
    ).toEqual([
      { method: "GET", path: "/v2/", status: 401, auth: "none", origin: "registry" },
      { method: "GET", path: "/v2/", status: 200, auth: "basic", origin: "registry" },
    ]);
    started.emulator.clearRequests();
    expect(started.emulator.requests).toHaveLength(0);
    expect(await errorCode(await fetch(`${started.url}/nowhere`))).toBe("NOT_FOUND");
  });
});
