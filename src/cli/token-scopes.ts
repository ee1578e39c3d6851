/**
 * One registry token for a whole command: a fetch wrapper that widens the first token request to every scope the
 * command declared (a copy: pull on the source, pull and push on the destination), and answers later token requests
 * from that token while it lives and its `access` claim grants what they ask. A copy then authenticates with a
 * challenge and one token request, not one per scope.
 * @module
 */
import type { FetchLike } from "acrkit";

/** One resource scope, `repository:team/app:pull,push`, as a set of actions per resource. */
type Grants = Map<string, Set<string>>;

/** Tokens are not reused in their last 30 seconds. */
const MARGIN_MS = 30_000;

/** Wraps `base`; `declared()` gives the scopes the command will need (`repository:name:pull,push`). */
export function tokenScopeFetch(base: FetchLike, declared: () => readonly string[]): FetchLike {
  const kept = new Map<string, { body: string; headers: Headers; grants: Grants; expires: number }>();
  return async (request) => {
    const asked = await tokenRequest(request);
    if (!asked) return base(request);
    const key = `${asked.url.origin}${asked.url.pathname} ${asked.service} ${asked.credentialKey}`;
    const hit = kept.get(key);
    if (hit && hit.expires > Date.now() && covers(hit.grants, asked.scopes))
      return new Response(hit.body, { status: 200, headers: hit.headers });
    const wide = [...new Set([...asked.scopes, ...declared()])];
    const response = await base(asked.withScopes(wide));
    if (response.status !== 200) return response;
    const body = await response.text();
    const token = readToken(body);
    const grants = token ? grantsOf(token.value) : undefined;
    if (token && grants)
      kept.set(key, { body, headers: new Headers(response.headers), grants, expires: token.expires - MARGIN_MS });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

interface TokenRequest {
  url: URL;
  service: string;
  scopes: string[];
  /** Tells apart requests made with different credentials (a hash is not needed: the key never leaves memory). */
  credentialKey: string;
  withScopes(scopes: string[]): Request;
}

/** A registry token request (GET realm?service=&scope=, or POST with a form), else undefined. */
async function tokenRequest(request: Request): Promise<TokenRequest | undefined> {
  const url = new URL(request.url);
  if (request.method === "GET" && url.searchParams.has("service") && url.searchParams.has("scope")) {
    return {
      url,
      service: url.searchParams.get("service")!,
      scopes: url.searchParams.getAll("scope"),
      credentialKey: request.headers.get("authorization") ?? "",
      withScopes: (scopes) => {
        const wide = new URL(url);
        wide.searchParams.delete("scope");
        for (const scope of scopes) wide.searchParams.append("scope", scope);
        return new Request(wide, {
          method: "GET",
          headers: request.headers,
          signal: request.signal,
          redirect: request.redirect,
        });
      },
    };
  }
  if (
    request.method !== "POST" ||
    !(request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")
  )
    return undefined;
  const form = new URLSearchParams(await request.clone().text());
  if (!form.has("scope") || !form.has("service") || !form.has("grant_type")) return undefined;
  return {
    url,
    service: form.get("service")!,
    scopes: form.getAll("scope"),
    credentialKey: `${form.get("grant_type")} ${form.get("refresh_token") ?? ""} ${form.get("username") ?? ""} ${form.get("password") ?? ""}`,
    withScopes: (scopes) => {
      const wide = new URLSearchParams(form);
      wide.delete("scope");
      for (const scope of scopes) wide.append("scope", scope);
      return new Request(url, {
        method: "POST",
        headers: request.headers,
        body: wide.toString(),
        signal: request.signal,
        redirect: request.redirect,
      });
    },
  };
}

function readToken(body: string): { value: string; expires: number } | undefined {
  try {
    const parsed = JSON.parse(body) as { access_token?: unknown; token?: unknown; expires_in?: unknown };
    const value =
      typeof parsed.access_token === "string"
        ? parsed.access_token
        : typeof parsed.token === "string"
          ? parsed.token
          : undefined;
    if (!value) return undefined;
    const exp = (payloadOf(value) as { exp?: unknown } | undefined)?.exp;
    const expires =
      typeof exp === "number"
        ? exp * 1000
        : Date.now() + (typeof parsed.expires_in === "number" ? parsed.expires_in * 1000 : 60_000);
    return { value, expires };
  } catch {
    return undefined;
  }
}

function payloadOf(jwt: string): unknown {
  const part = jwt.split(".")[1];
  if (!part) return undefined;
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** The token's `access` claim (distribution's token format, which ACR follows) as grants; undefined without one. */
function grantsOf(jwt: string): Grants | undefined {
  const access = (payloadOf(jwt) as { access?: unknown } | undefined)?.access;
  if (!Array.isArray(access)) return undefined;
  const grants: Grants = new Map();
  for (const entry of access as Array<{ type?: unknown; name?: unknown; actions?: unknown }>) {
    if (typeof entry?.type !== "string" || typeof entry.name !== "string" || !Array.isArray(entry.actions)) continue;
    const key = `${entry.type}:${entry.name}`;
    const actions = grants.get(key) ?? new Set<string>();
    for (const action of entry.actions) if (typeof action === "string") actions.add(action);
    grants.set(key, actions);
  }
  return grants;
}

/** Whether the grants hold every action of every scope asked (`type:name:a,b`, several per string allowed). */
function covers(grants: Grants, scopes: readonly string[]): boolean {
  for (const scope of scopes.flatMap((s) => s.split(/\s+/)).filter(Boolean)) {
    const cut = scope.lastIndexOf(":");
    const actions = grants.get(scope.slice(0, cut));
    if (!actions) return false;
    for (const action of scope.slice(cut + 1).split(",")) if (!actions.has(action) && !actions.has("*")) return false;
  }
  return true;
}
