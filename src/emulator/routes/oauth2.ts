/**
 * ACR's token endpoints: POST /oauth2/exchange, POST /oauth2/token and GET /oauth2/token, as ACR's authentication flow documents them.
 * @module
 */
import { anonymousAccess, authKindOf, parseBasic, userAccess } from "../auth";
import { decodeBase64 } from "../base64url";
import type { Context, Endpoint } from "../context";
import { errorResponse } from "../errors";
import { json, readLimited } from "../http";
import { FULL_ACCESS, intersectAccess, parseScopes, type AccessEntry } from "../scopes";

const MAX_FORM_BYTES = 64 * 1024;
const PUBLIC = () => ({ kind: "public" }) as const;

function invalidRequest(message: string): Response {
  return errorResponse(400, "INVALID_REQUEST", message);
}

function unauthorized(message: string): Response {
  return errorResponse(401, "UNAUTHORIZED", message);
}

async function readForm(ctx: Context): Promise<URLSearchParams> {
  return new URLSearchParams(new TextDecoder().decode(await readLimited(ctx.request, MAX_FORM_BYTES)));
}

/** A mismatching `service` is refused: the client must echo the challenge's value. Absent means this registry. */
function serviceError(ctx: Context, service: string | null): Response | undefined {
  return service === null || service === ctx.service
    ? undefined
    : invalidRequest(`service "${service}" does not match this registry (${ctx.service})`);
}

/** The subject of an AAD token when it is a readable JWT, for a recognisable refresh-token `sub`. */
function aadSubject(token: string): string {
  const payload = decodeBase64(token.split(".")[1] ?? "");
  try {
    const claims = payload ? (JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>) : {};
    const subject = claims.oid ?? claims.sub;
    return typeof subject === "string" ? subject : "aad-identity";
  } catch {
    return "aad-identity";
  }
}

async function exchange(ctx: Context): Promise<Response> {
  const form = await readForm(ctx);
  const grantType = form.get("grant_type");
  if (grantType !== "access_token" && grantType !== "access_token_refresh_token") {
    return invalidRequest(`unsupported grant_type "${grantType ?? ""}"`);
  }
  const aadToken = form.get("access_token") ?? "";
  if (aadToken === "") return invalidRequest("access_token is required");
  const wrongService = serviceError(ctx, form.get("service"));
  if (wrongService) return wrongService;
  if (!(await ctx.env.options.validateAadToken(aadToken))) return unauthorized("the AAD access token is not valid");
  const tenant = form.get("tenant");
  const refreshToken = await ctx.env.tokens.issue(
    "refresh_token",
    {
      sub: aadSubject(aadToken),
      aud: ctx.service,
      ...(tenant ? { tenant } : {}),
      permissions: { actions: ["*"], notActions: [] },
    },
    ctx.env.options.refreshTokenLifetimeSeconds,
  );
  return json({ refresh_token: refreshToken });
}

/** Signs an access token holding the requested scopes cut down to the identity's access. */
async function accessToken(ctx: Context, subject: string, allowed: readonly AccessEntry[], scopes: string[]) {
  const requested = scopes.flatMap(parseScopes);
  const lifetime = ctx.env.options.accessTokenLifetimeSeconds;
  const token = await ctx.env.tokens.issue(
    "access_token",
    { sub: subject, aud: ctx.service, access: intersectAccess(requested, allowed) },
    lifetime,
  );
  return { token, lifetime };
}

/** Anonymous callers get a token only on registries with anonymous pull enabled. */
function anonymous(ctx: Context): readonly AccessEntry[] | Response {
  return ctx.env.options.anonymousPull ? anonymousAccess(ctx.env) : unauthorized("anonymous access is disabled");
}

async function postToken(ctx: Context): Promise<Response> {
  const form = await readForm(ctx);
  const wrongService = serviceError(ctx, form.get("service"));
  if (wrongService) return wrongService;
  const grantType = form.get("grant_type");
  let subject: string;
  let allowed: readonly AccessEntry[] | Response;
  if (grantType === "refresh_token") {
    const check = await ctx.env.tokens.verify(form.get("refresh_token") ?? "", "refresh_token", ctx.service);
    if (!check.ok) return unauthorized("the refresh token is invalid or expired");
    subject = check.claims.sub;
    allowed = FULL_ACCESS;
  } else if (grantType === "password") {
    const username = form.get("username");
    const refreshToken = form.get("refresh_token") ?? "";
    // The Azure SDKs' anonymous flow: grant_type=password with an empty (or no) refresh_token.
    if (username !== null) {
      subject = username;
      allowed =
        (await userAccess(ctx.env, ctx.service, username, form.get("password") ?? "")) ??
        unauthorized("invalid username or password");
    } else if (refreshToken === "") {
      subject = "anonymous";
      allowed = anonymous(ctx);
    } else {
      return invalidRequest("grant_type=password takes a username and password, or nothing for anonymous access");
    }
  } else {
    return invalidRequest(`unsupported grant_type "${grantType ?? ""}"`);
  }
  if (allowed instanceof Response) return allowed;
  const { token } = await accessToken(ctx, subject, allowed, form.getAll("scope"));
  return json({ access_token: token });
}

async function getToken(ctx: Context): Promise<Response> {
  const wrongService = serviceError(ctx, ctx.url.searchParams.get("service"));
  if (wrongService) return wrongService;
  const kind = authKindOf(ctx.request);
  let subject = "anonymous";
  let allowed: readonly AccessEntry[] | Response;
  if (kind === "basic") {
    const basic = parseBasic(ctx.request.headers.get("authorization") ?? "");
    const access = basic && (await userAccess(ctx.env, ctx.service, basic.username, basic.password));
    allowed = access ?? unauthorized("invalid username or password");
    subject = basic?.username ?? subject;
  } else if (kind === "none") {
    allowed = anonymous(ctx);
  } else {
    return unauthorized("the token endpoint takes Basic credentials or none");
  }
  if (allowed instanceof Response) return allowed;
  const { token, lifetime } = await accessToken(ctx, subject, allowed, ctx.url.searchParams.getAll("scope"));
  const issuedAt = new Date(ctx.env.clock()).toISOString();
  // Gitea's answer is the token alone (registry-quirks row 45).
  if (!ctx.env.options.profile.auth.tokenExpiresIn) return json({ token });
  return json({ access_token: token, token, expires_in: lifetime, issued_at: issuedAt });
}

/** A token server without OAuth2 POST answers it as an unknown path. */
function postTokenOrNotFound(ctx: Context): Promise<Response> | Response {
  return ctx.env.options.profile.auth.tokenPost
    ? postToken(ctx)
    : errorResponse(404, "NOT_FOUND", "no endpoint serves POST /oauth2/token");
}

/** ACR's exchange endpoint (AAD token → ACR refresh token); public. */
export const exchangeEndpoints: Endpoint[] = [
  { pattern: /^\/oauth2\/exchange$/, methods: { POST: { access: PUBLIC, handle: exchange } } },
];

/** The token endpoint; public (it is where credentials are turned into tokens). */
export const tokenEndpoints: Endpoint[] = [
  {
    pattern: /^\/oauth2\/token$/,
    methods: { POST: { access: PUBLIC, handle: postTokenOrNotFound }, GET: { access: PUBLIC, handle: getToken } },
  },
];
