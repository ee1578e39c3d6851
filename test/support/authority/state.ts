/**
 * The authority's mutable state: apps, pending device codes, authorization codes and refresh tokens.
 * @module
 */
import { randomBytes } from "node:crypto";
import { type TestApp, resolveScopes, userObjectId } from "./apps";
import { OAuthError } from "./http-util";
import type { TokenIssuer } from "./token-issuer";

/** A device code waiting for a user to approve it. */
export interface DeviceCodeEntry {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  tenantId: string;
  /** ms since the epoch. */
  expiresAt: number;
  /** The user who approved it; unset while pending. */
  approvedBy?: string;
  /** Set when the test declined it. */
  declined?: boolean;
}

/** An authorization code issued by the login page. */
export interface AuthCodeEntry {
  clientId: string;
  redirectUri: string;
  scope: string;
  username: string;
  tenantId: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  expiresAt: number;
}

/** What a refresh token stands for. */
export interface RefreshTokenEntry {
  clientId: string;
  username: string;
  tenantId: string;
}

/** Everything the endpoints share. */
export class AuthorityState {
  readonly apps = new Map<string, TestApp>();
  readonly deviceCodes = new Map<string, DeviceCodeEntry>();
  readonly authCodes = new Map<string, AuthCodeEntry>();
  readonly refreshTokens = new Map<string, RefreshTokenEntry>();

  constructor(
    readonly tenantId: string,
    readonly issuer: TokenIssuer,
    public tokenLifetimeSeconds: number,
    public deviceCodeIntervalSeconds: number,
  ) {}

  /** The tenant a path segment names; `common` and `organizations` mean the one tenant. */
  resolveTenant(segment: string): string {
    if (segment === this.tenantId || segment === "common" || segment === "organizations") return this.tenantId;
    throw new OAuthError(400, "invalid_request", `Tenant '${segment}' not found.`, 90002);
  }

  /** The token endpoint URL as clients address it (client assertions carry it as `aud`). */
  tokenEndpoint(tenantSegment: string): string {
    return `${this.issuer.origin}/${tenantSegment}/oauth2/v2.0/token`;
  }

  /** The app with this client id, or the error Entra ID gives for an unknown one. */
  app(clientId: string | null | undefined): TestApp {
    const app = clientId ? this.apps.get(clientId) : undefined;
    if (!app) {
      throw new OAuthError(
        400,
        "unauthorized_client",
        `Application with identifier '${clientId ?? ""}' was not found in the directory.`,
        700016,
      );
    }
    return app;
  }

  /** Token lifetime for an app. */
  lifetimeFor(app: TestApp): number {
    return app.tokenLifetimeSeconds ?? this.tokenLifetimeSeconds;
  }

  /** The token response for a user (device code, authorization code and refresh token grants). */
  userTokenResponse(
    app: TestApp,
    username: string,
    scope: string,
    tenantId: string,
    nonce?: string,
  ): Record<string, unknown> {
    const scopes = resolveScopes(scope);
    if (scopes.multipleResources) {
      throw new OAuthError(400, "invalid_scope", "Scopes for more than one resource were requested.", 28000);
    }
    const objectId = userObjectId(username);
    const lifetime = this.lifetimeFor(app);
    const body: Record<string, unknown> = {
      token_type: "Bearer",
      scope: scopes.resourceScopes.join(" "),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      id_token: this.issuer.idToken({ objectId, username }, app.clientId, tenantId, nonce),
      client_info: Buffer.from(JSON.stringify({ uid: objectId, utid: tenantId })).toString("base64url"),
    };
    if (scopes.audience) {
      body.access_token = this.issuer.accessToken({
        audience: scopes.audience,
        tenantId,
        clientId: app.clientId,
        objectId,
        scopes: scopes.permissions,
        username,
        lifetimeSeconds: lifetime,
      }).token;
    }
    // MSAL always asks for offline_access; a refresh token lets it renew silently.
    const refreshToken = `rt.${randomBytes(24).toString("base64url")}`;
    this.refreshTokens.set(refreshToken, { clientId: app.clientId, username, tenantId });
    body.refresh_token = refreshToken;
    return body;
  }
}
