/**
 * Raw-HTTP helpers for the emulator tests: tokens, Basic headers and digests, without the acrkit client.
 * @module
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import { startEmulator, type StartedEmulator } from "../../support/emulator";

/** `Basic base64(user:pass)`. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** `sha256:<hex>` of bytes or text. */
export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** POSTs a form and returns the status and parsed JSON body. */
export async function postForm(url: string, fields: Array<[string, string]>) {
  const response = await fetch(url, { method: "POST", body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** An AAD-style refresh token from /oauth2/exchange. */
export async function refreshToken(started: StartedEmulator, aadToken = "aad-token"): Promise<string> {
  const { status, body } = await postForm(`${started.url}/oauth2/exchange`, [
    ["grant_type", "access_token"],
    ["service", started.service],
    ["access_token", aadToken],
  ]);
  if (status !== 200) throw new Error(`exchange failed with ${status}`);
  return body.refresh_token as string;
}

/** `Bearer <access token>` for the scopes, via exchange and POST /oauth2/token (the AAD flow). */
export async function bearer(started: StartedEmulator, ...scopes: string[]): Promise<string> {
  const { status, body } = await postForm(`${started.url}/oauth2/token`, [
    ["grant_type", "refresh_token"],
    ["service", started.service],
    ["refresh_token", await refreshToken(started)],
    ...scopes.map((scope): [string, string] => ["scope", scope]),
  ]);
  if (status !== 200) throw new Error(`token failed with ${status}`);
  return `Bearer ${body.access_token as string}`;
}

/** Decodes a JWT's claims without verifying it. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.replace(/^Bearer /, "").split(".")[1]!, "base64url").toString()) as Record<
    string,
    unknown
  >;
}

/** Reads the error code of an ACR error body. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { errors?: Array<{ code: string }> };
  return body.errors?.[0]?.code;
}

/** An emulator with the user admin/secret, started before each test and closed after it. */
export interface AdminEmulator {
  /** The emulator of the running test. */
  readonly started: StartedEmulator;
  /** Sends a request to it as admin (Basic auth), with extra headers merged in. */
  call(method: string, path: string, init?: RequestInit & { headers?: Record<string, string> }): Promise<Response>;
}

/** Registers the hooks that give each test a fresh emulator with an admin user. */
export function useAdminEmulator(): AdminEmulator {
  const auth = { authorization: basic("admin", "secret") };
  let current: StartedEmulator | undefined;
  beforeEach(async () => {
    current = await startEmulator({ users: { admin: "secret" } });
  });
  afterEach(async () => current?.close());
  return {
    get started() {
      return current!;
    },
    call: (method, path, init = {}) =>
      fetch(new URL(path, current!.url), { method, ...init, headers: { ...auth, ...init.headers } }),
  };
}
