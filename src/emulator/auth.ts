/**
 * Authentication of API requests (Basic or Bearer) and ACR-shaped 401 challenges.
 * @module
 */
import { decodeBase64 } from "./base64url";
import type { Access, Context, Environment } from "./context";
import { errorResponse } from "./errors";
import { FULL_ACCESS, formatScopes, parseScopes, permits, type AccessEntry } from "./scopes";
import type { AuthKind } from "./types";

/** The credential a request presented, and what it may do. */
export interface Authentication {
  kind: AuthKind;
  /** What the credential allows; undefined when none was presented or it was invalid. */
  access: readonly AccessEntry[] | undefined;
}

/** The username `docker login` uses with an ACR refresh token as the password. */
export const REFRESH_TOKEN_USER = "00000000-0000-0000-0000-000000000000";

const CHALLENGE_MESSAGE = "authentication required, visit https://aka.ms/acr/authorization for more information.";

/** What anonymous callers may do: nothing, or pull and metadata_read everywhere plus the catalog. */
export function anonymousAccess(env: Environment): AccessEntry[] {
  if (!env.options.anonymousPull) return [];
  return [
    { type: "repository", name: "*", actions: ["pull", "metadata_read"] },
    { type: "registry", name: "catalog", actions: ["*"] },
  ];
}

/** The access of a username and password: a configured user, or a refresh token under the null GUID user. */
export async function userAccess(
  env: Environment,
  service: string,
  username: string,
  password: string,
): Promise<readonly AccessEntry[] | undefined> {
  if (username === REFRESH_TOKEN_USER) {
    const check = await env.tokens.verify(password, "refresh_token", service);
    return check.ok ? FULL_ACCESS : undefined;
  }
  const user = Object.hasOwn(env.options.users, username) ? env.options.users[username] : undefined;
  if (user === undefined) return undefined;
  const expected = typeof user === "string" ? user : user.password;
  if (password !== expected) return undefined;
  return typeof user === "string" || !user.scopes ? FULL_ACCESS : user.scopes.flatMap(parseScopes);
}

/** Splits `Basic base64(user:pass)`; undefined when malformed. */
export function parseBasic(header: string): { username: string; password: string } | undefined {
  const bytes = decodeBase64(header.slice("basic ".length).trim());
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes);
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The kind of an Authorization header value, for the request log. */
export function authKindOfHeader(value: string | null | undefined): AuthKind {
  const header = value?.toLowerCase() ?? "";
  return header.startsWith("basic ") ? "basic" : header.startsWith("bearer ") ? "bearer" : "none";
}

/** The kind of Authorization header a request carries, for the request log. */
export function authKindOf(request: Request): AuthKind {
  return authKindOfHeader(request.headers.get("authorization"));
}

/** Reads the Authorization header: Basic against the users, Bearer against this emulator's access tokens. */
export async function authenticate(request: Request, env: Environment, service: string): Promise<Authentication> {
  const kind = authKindOf(request);
  const header = request.headers.get("authorization") ?? "";
  if (kind === "basic") {
    const basic = parseBasic(header);
    return { kind, access: basic && (await userAccess(env, service, basic.username, basic.password)) };
  }
  if (kind === "bearer") {
    const check = await env.tokens.verify(header.slice("bearer ".length).trim(), "access_token", service);
    return { kind, access: check.ok ? (check.claims.access ?? []) : undefined };
  }
  return { kind, access: undefined };
}

/** True when the request's credential allows the action (always, on an open registry). */
export function allows(ctx: Context, type: string, name: string, action: string): boolean {
  return !ctx.env.options.authRequired || permits(ctx.auth.access ?? [], type, name, action);
}

/** The `Bearer realm=…,service=…[,scope=…][,error=…]` challenge, realm on the origin the request came to. */
function challenge(ctx: Context, scope: string | undefined, error: string | undefined): string {
  // ECR challenges Basic (registry-quirks row 11): the credential itself goes with every request.
  if (ctx.env.options.profile.auth.scheme === "Basic") return `Basic realm="${ctx.service}"`;
  let value = `Bearer realm="${ctx.url.origin}/oauth2/token",service="${ctx.service}"`;
  if (scope) value += `,scope="${scope}"`;
  if (error) value += `,error="${error}"`;
  return value;
}

/** Checks an operation's access; returns the 401 to send, or undefined to proceed. */
export function authorize(ctx: Context, access: Access): Response | undefined {
  if (access.kind === "public" || !ctx.env.options.authRequired) return undefined;
  const presented = ctx.auth.kind !== "none";
  const invalid = presented && ctx.auth.access === undefined;
  if (access.kind === "authenticated") {
    if (presented && !invalid) return undefined;
    const headers = { "WWW-Authenticate": challenge(ctx, undefined, invalid ? "invalid_token" : undefined) };
    return errorResponse(401, "UNAUTHORIZED", CHALLENGE_MESSAGE, undefined, headers);
  }
  const granted = ctx.auth.access ?? [];
  const satisfied = access.required.every(({ type, name, actions }) =>
    actions.every((action) => permits(granted, type, name, action)),
  );
  if (satisfied && !invalid && presented) return undefined;
  const scope = formatScopes([...access.required, ...(access.optional ?? [])]);
  const error = invalid ? "invalid_token" : presented ? "insufficient_scope" : undefined;
  const detail = access.required.flatMap(({ type, name, actions }) =>
    actions.map((action) => ({ Type: type, Name: name, Action: action })),
  );
  return errorResponse(401, "UNAUTHORIZED", CHALLENGE_MESSAGE, detail, {
    "WWW-Authenticate": challenge(ctx, scope, error),
  });
}
