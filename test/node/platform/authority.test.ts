/**
 * The local authority's own endpoints where no credential of acrkit/node drives them: the login page and the
 * authorization code flow with PKCE (for the browser popup test), RS256 client assertions with `x5t`, and JWKS.
 */
import { createHash, createPrivateKey, randomBytes, randomUUID } from "node:crypto";
import { request } from "node:https";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type LocalAuthority, signJwt, startAuthority } from "../../support/authority/index";

let authority: LocalAuthority;

beforeAll(async () => {
  authority = await startAuthority();
});
afterAll(() => authority.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function call(path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Answer> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `${authority.url}${path}`,
      {
        method: init.method ?? (body ? "POST" : "GET"),
        ca: authority.caPem,
        headers: body ? { "content-type": "application/x-www-form-urlencoded" } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const tenantPath = () => `/${authority.tenantId}`;

test("serves OIDC discovery and a JWKS that verifies its tokens", async () => {
  const discovery = JSON.parse((await call(`${tenantPath()}/v2.0/.well-known/openid-configuration`)).text);
  expect(discovery).toMatchObject({
    issuer: `${authority.authorityUrl}/v2.0`,
    token_endpoint: `${authority.authorityUrl}/oauth2/v2.0/token`,
  });
  const jwks = JSON.parse((await call(new URL(discovery.jwks_uri).pathname)).text);
  const token = authority.issueAccessToken({ audience: "https://containerregistry.azure.net" }).token;
  const kid = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()).kid;
  expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(kid);
  expect((await call("/not-a-tenant/v2.0/.well-known/openid-configuration")).status).toBe(400);
});

test("login page, code with PKCE, token redemption, and refresh", async () => {
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    client_id: authority.apps.public.clientId,
    response_type: "code",
    redirect_uri: "http://localhost:5173/auth",
    scope: "https://containerregistry.azure.net/.default openid profile offline_access",
    state: "st-1",
    nonce: "n-1",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    response_mode: "fragment",
  });
  const page = await call(`${tenantPath()}/oauth2/v2.0/authorize?${query}`);
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/<input id="username" name="username"/);
  expect(page.text).toMatch(/<button id="submit" type="submit">/);

  const hidden = Object.fromEntries(
    [...page.text.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1],
      m[2].replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))),
    ]),
  );
  const submitted = await call(`${tenantPath()}/oauth2/v2.0/authorize`, {
    form: { ...hidden, username: "dana@acrkit.test" },
  });
  expect(submitted.status).toBe(302);
  const location = new URL(String(submitted.headers.location));
  expect(`${location.origin}${location.pathname}`).toBe("http://localhost:5173/auth");
  const fragment = new URLSearchParams(location.hash.slice(1));
  expect(fragment.get("state")).toBe("st-1");

  const redeem = (codeVerifier: string, code = fragment.get("code") ?? "") =>
    call(`${tenantPath()}/oauth2/v2.0/token`, {
      form: {
        grant_type: "authorization_code",
        client_id: authority.apps.public.clientId,
        code,
        redirect_uri: "http://localhost:5173/auth",
        code_verifier: codeVerifier,
        scope: "https://containerregistry.azure.net/.default openid profile offline_access",
      },
    });
  const tokens = JSON.parse((await redeem(verifier)).text);
  expect(authority.verifyAadToken(tokens.access_token)).toMatchObject({ preferred_username: "dana@acrkit.test" });
  const idToken = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString());
  expect(idToken).toMatchObject({ aud: authority.apps.public.clientId, nonce: "n-1" });
  expect((await redeem(verifier)).status).toBe(400);

  const refreshed = await call(`${tenantPath()}/oauth2/v2.0/token`, {
    form: {
      grant_type: "refresh_token",
      client_id: authority.apps.public.clientId,
      refresh_token: tokens.refresh_token,
      scope: "https://containerregistry.azure.net/.default offline_access",
    },
  });
  expect(authority.validateToken(JSON.parse(refreshed.text).access_token)).toBe(true);
});

test("a wrong PKCE verifier and an unregistered redirect URI are refused", async () => {
  const verifier = randomBytes(32).toString("base64url");
  const form = {
    client_id: authority.apps.public.clientId,
    redirect_uri: "http://127.0.0.1:9/cb",
    scope: "https://containerregistry.azure.net/.default",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    username: "eve@acrkit.test",
  };
  const code =
    new URL(String((await call(`${tenantPath()}/oauth2/v2.0/authorize`, { form })).headers.location)).searchParams.get(
      "code",
    ) ?? "";
  const answer = await call(`${tenantPath()}/oauth2/v2.0/token`, {
    form: {
      grant_type: "authorization_code",
      client_id: form.client_id,
      code,
      redirect_uri: form.redirect_uri,
      code_verifier: "not-the-verifier",
    },
  });
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.text).error).toBe("invalid_grant");
  const bad = await call(
    `${tenantPath()}/oauth2/v2.0/authorize?client_id=${authority.apps.public.clientId}&response_type=code&redirect_uri=https://evil.example/cb`,
  );
  expect(bad.status).toBe(400);
});

test("client assertions: RS256 with x5t is accepted, a wrong key or audience is not", async () => {
  const app = authority.apps.certificate;
  const key = createPrivateKey(authority.pki.client.pem);
  const now = Math.floor(Date.now() / 1000);
  const assertion = (overrides: Record<string, unknown> = {}, signingKey = key) =>
    signJwt(
      { alg: "RS256", x5t: Buffer.from(authority.pki.client.thumbprintSha1, "hex").toString("base64url") },
      {
        aud: `${authority.authorityUrl}/oauth2/v2.0/token`,
        iss: app.clientId,
        sub: app.clientId,
        jti: randomUUID(),
        nbf: now,
        exp: now + 600,
        ...overrides,
      },
      signingKey,
    );
  const ask = (clientAssertion: string) =>
    call(`${tenantPath()}/oauth2/v2.0/token`, {
      form: {
        grant_type: "client_credentials",
        client_id: app.clientId,
        scope: "https://containerregistry.azure.net/.default",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: clientAssertion,
      },
    });
  const ok = await ask(assertion());
  expect(ok.status).toBe(200);
  expect(authority.validateToken(JSON.parse(ok.text).access_token)).toBe(true);
  expect((await ask(assertion({ aud: "https://elsewhere.example/token" }))).status).toBe(401);
  const otherKey = createPrivateKey(authority.pki.serverKeyPem);
  expect(JSON.parse((await ask(assertion({}, otherKey))).text).error).toBe("invalid_client");
});
