/**
 * The local Entra-ID-compatible authority: an HTTPS server on 127.0.0.1 with a certificate from a CA made at test
 * time. Real MSAL (node and browser) talks to it exactly as it talks to login.microsoftonline.com once the authority
 * host is trusted (`knownAuthorities`) and its CA is trusted (see {@link LocalAuthority.caPath}).
 * @module
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { type TestApp, type TestAppInput, createApp } from "./apps";
import { type TestPki, createTestPki } from "./certificates";
import { instanceDiscovery, openIdConfiguration } from "./discovery";
import { authorizationCodeGrant, authorizePage, authorizeSubmit } from "./grants/authorization-code";
import { clientCredentialsGrant } from "./grants/client-credentials";
import { DEVICE_CODE_GRANT, deviceCodeEndpoint, deviceCodeGrant } from "./grants/device-code";
import { refreshTokenGrant } from "./grants/refresh-token";
import { type LoggedRequest, OAuthError, readBody, sendJson, sendOAuthError } from "./http-util";
import { JwtValidationError } from "./jwt";
import { AuthorityState } from "./state";
import { ACR_AUDIENCE, type AccessTokenClaims, type IssuedToken, TokenIssuer, verifyAadToken } from "./token-issuer";

/** Options of {@link startAuthority}. */
export interface AuthorityOptions {
  /** The tenant id; a random GUID by default. */
  tenantId?: string;
  /** Lifetime of issued access tokens; default 3600. MSAL renews tokens within 300 s of expiry, so use a bit more than 300 to test refresh. */
  tokenLifetimeSeconds?: number;
  /** The polling interval the device code endpoint announces; default 1. */
  deviceCodeIntervalSeconds?: number;
  /** Reuse a PKI (e.g. one a browser already trusts) instead of making a new one. */
  pki?: TestPki;
}

/** The apps every authority has registered. */
export interface DefaultApps {
  /** A confidential client with a client secret. */
  secret: TestApp & { clientSecret: string };
  /** A confidential client with the PKI's client certificate. */
  certificate: TestApp;
  /** A public client (device code, browser popup). */
  public: TestApp;
}

/** A device code waiting for approval, as the test sees it. */
export interface PendingDeviceCode {
  userCode: string;
  clientId: string;
  scope: string;
}

/** A running local authority. */
export interface LocalAuthority {
  /** `https://127.0.0.1:<port>`: pass it as `authorityHost`. */
  readonly url: string;
  /** `127.0.0.1:<port>`: the entry for MSAL's `knownAuthorities`. */
  readonly host: string;
  readonly tenantId: string;
  /** `${url}/${tenantId}`: the full authority URL MSAL takes. */
  readonly authorityUrl: string;
  /** The CA certificate file: `NODE_EXTRA_CA_CERTS` for child processes, or read it for the credentials' `caCertificates`. */
  readonly caPath: string;
  /** The CA certificate, PEM. */
  readonly caPem: string;
  readonly pki: TestPki;
  readonly apps: DefaultApps;
  /** Every request, oldest first. */
  readonly requests: LoggedRequest[];
  /** Access token lifetime in seconds; may be changed between requests. */
  tokenLifetimeSeconds: number;
  /** Registers another app. */
  registerApp(input: TestAppInput): TestApp;
  /** The token endpoint requests logged so far. */
  tokenRequests(): LoggedRequest[];
  /** Forgets the logged requests. */
  clearRequests(): void;
  /** Resolves with the next (or an existing) device code that waits for the user. */
  waitForDeviceCode(timeoutMs?: number): Promise<PendingDeviceCode>;
  /** Plays the user who enters the code and signs in. */
  approveDeviceCode(userCode: string, username?: string): void;
  /** Plays the user who refuses. */
  declineDeviceCode(userCode: string): void;
  /** Mints an access token signed by this authority (the managed identity endpoint uses it; tests make odd ones with it). */
  issueAccessToken(claims: Partial<AccessTokenClaims> & { audience: string }): IssuedToken;
  /** Verifies an access token from this authority (signature, issuer, audience, expiry) and returns its claims. */
  verifyAadToken(token: string, options?: { audience?: string }): Record<string, unknown>;
  /** `true` when {@link LocalAuthority.verifyAadToken} accepts the token for the ACR audience: pass it as the emulator's `validateAadToken`. */
  validateToken(token: string): boolean;
  /** A `validateAadToken` function for another audience. */
  tokenValidator(options?: { audience?: string }): (token: string) => boolean;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, log: LoggedRequest) => Promise<void>;

/** Starts a local authority on an ephemeral port of 127.0.0.1. */
export async function startAuthority(options: AuthorityOptions = {}): Promise<LocalAuthority> {
  const pki = options.pki ?? createTestPki();
  const requests: LoggedRequest[] = [];
  const server = createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  const origin = `https://${host}`;
  const tenantId = options.tenantId ?? randomUUID();
  const issuer = new TokenIssuer(origin);
  const state = new AuthorityState(
    tenantId,
    issuer,
    options.tokenLifetimeSeconds ?? 3600,
    options.deviceCodeIntervalSeconds ?? 1,
  );
  const register = (input: TestAppInput) => {
    const app = createApp(input);
    state.apps.set(app.clientId, app);
    return app;
  };
  const apps: DefaultApps = {
    secret: register({ clientSecret: true }) as DefaultApps["secret"],
    certificate: register({ certificatePem: pki.client.certificatePem }),
    public: register({ publicClient: true }),
  };
  const deviceWaiters: Array<(code: PendingDeviceCode) => void> = [];

  const handle: Handler = async (req, res, url, log) => {
    const segments = url.pathname.split("/").filter(Boolean);
    const tenant = segments[0] ?? "";
    const rest = segments.slice(1).join("/");
    if (segments.length > 1) log.tenant = tenant;
    if (req.method === "OPTIONS") {
      log.endpoint = "preflight";
      res.writeHead(204, {
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    if (rest === "v2.0/.well-known/openid-configuration" && req.method === "GET") {
      log.endpoint = "discovery";
      sendJson(res, 200, openIdConfiguration(origin, state.resolveTenant(tenant)));
    } else if ((rest === "discovery/v2.0/keys" || rest === "discovery/keys") && req.method === "GET") {
      log.endpoint = "jwks";
      sendJson(res, 200, issuer.jwks());
    } else if (rest === "discovery/instance" && req.method === "GET") {
      log.endpoint = "instance-discovery";
      sendJson(res, 200, instanceDiscovery(origin, host));
    } else if (rest === "oauth2/v2.0/token" && req.method === "POST") {
      log.endpoint = "token";
      const form = new URLSearchParams(await readBody(req));
      log.grantType = form.get("grant_type") ?? undefined;
      log.clientId = form.get("client_id") ?? undefined;
      sendJson(res, 200, tokenGrant(form, tenant, req.headers.authorization));
    } else if (rest === "oauth2/v2.0/devicecode" && req.method === "POST") {
      log.endpoint = "devicecode";
      const form = new URLSearchParams(await readBody(req));
      log.clientId = form.get("client_id") ?? undefined;
      const body = deviceCodeEndpoint(state, form, tenant);
      sendJson(res, 200, body);
      const pending = {
        userCode: String(body.user_code),
        clientId: String(log.clientId),
        scope: form.get("scope") ?? "",
      };
      deviceWaiters.splice(0).forEach((resolve) => resolve(pending));
    } else if (rest === "oauth2/v2.0/authorize" && (req.method === "GET" || req.method === "POST")) {
      log.endpoint = "authorize";
      const params = req.method === "GET" ? url.searchParams : new URLSearchParams(await readBody(req));
      log.clientId = params.get("client_id") ?? undefined;
      const result =
        req.method === "GET" ? authorizePage(state, params, tenant) : authorizeSubmit(state, params, tenant);
      if (result.kind === "redirect") res.writeHead(302, { location: result.location }).end();
      else res.writeHead(result.status, { "content-type": "text/html; charset=utf-8" }).end(result.html);
    } else if (url.pathname === "/devicelogin") {
      log.endpoint = "devicelogin";
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end("<!doctype html><title>Device login</title><p>Approve device codes through the test API.</p>");
    } else {
      log.endpoint = "unknown";
      throw new OAuthError(404, "not_found", `No endpoint at ${req.method} ${url.pathname}.`, 90000);
    }
  };

  function tokenGrant(
    form: URLSearchParams,
    tenant: string,
    authorization: string | undefined,
  ): Record<string, unknown> {
    switch (form.get("grant_type")) {
      case "client_credentials":
        return clientCredentialsGrant(state, form, tenant, authorization);
      case DEVICE_CODE_GRANT:
      case "device_code":
        state.resolveTenant(tenant);
        return deviceCodeGrant(state, form);
      case "refresh_token":
        return refreshTokenGrant(state, form, tenant, authorization);
      case "authorization_code":
        return authorizationCodeGrant(state, form, tenant, authorization);
      default:
        throw new OAuthError(400, "unsupported_grant_type", "The grant type is not supported.", 70003);
    }
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    const log: LoggedRequest = {
      time: Date.now(),
      method: req.method ?? "GET",
      path: url.pathname,
      endpoint: "",
      status: 0,
    };
    // Browsers redeem codes from the page's origin, so every answer allows any origin, as Entra ID does for SPAs.
    res.setHeader("access-control-allow-origin", "*");
    res.on("finish", () => {
      log.status = res.statusCode;
      requests.push(log);
    });
    handle(req, res, url, log).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof OAuthError) return sendOAuthError(res, err);
      sendOAuthError(
        res,
        new OAuthError(500, "server_error", "The local authority failed to handle the request.", 90100),
      );
    });
  });

  const authority: LocalAuthority = {
    url: origin,
    host,
    tenantId,
    authorityUrl: `${origin}/${tenantId}`,
    caPath: pki.caPath,
    caPem: pki.caPem,
    pki,
    apps,
    requests,
    get tokenLifetimeSeconds() {
      return state.tokenLifetimeSeconds;
    },
    set tokenLifetimeSeconds(seconds: number) {
      state.tokenLifetimeSeconds = seconds;
    },
    registerApp: register,
    tokenRequests: () => requests.filter((r) => r.endpoint === "token"),
    clearRequests: () => void requests.splice(0),
    waitForDeviceCode(timeoutMs = 10_000) {
      const existing = [...state.deviceCodes.values()].find((e) => !e.approvedBy && !e.declined);
      if (existing)
        return Promise.resolve({ userCode: existing.userCode, clientId: existing.clientId, scope: existing.scope });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no device code was requested in time")), timeoutMs);
        deviceWaiters.push((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    approveDeviceCode(userCode, username = "device.user@acrkit.test") {
      const entry = [...state.deviceCodes.values()].find((e) => e.userCode === userCode);
      if (!entry) throw new Error(`no pending device code ${userCode}`);
      entry.approvedBy = username;
    },
    declineDeviceCode(userCode) {
      const entry = [...state.deviceCodes.values()].find((e) => e.userCode === userCode);
      if (!entry) throw new Error(`no pending device code ${userCode}`);
      entry.declined = true;
    },
    issueAccessToken: (claims) =>
      issuer.accessToken({
        tenantId,
        clientId: randomUUID(),
        objectId: randomUUID(),
        lifetimeSeconds: state.tokenLifetimeSeconds,
        ...claims,
      }),
    verifyAadToken: (token, opts = {}) =>
      verifyAadToken(token, { keys: issuer.keys(), issuerOrigin: origin, audience: opts.audience }),
    validateToken: (token) => authority.tokenValidator()(token),
    tokenValidator:
      (opts = {}) =>
      (token) => {
        try {
          authority.verifyAadToken(token, { audience: opts.audience ?? ACR_AUDIENCE });
          return true;
        } catch (e) {
          if (e instanceof JwtValidationError) return false;
          throw e;
        }
      },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return authority;
}
