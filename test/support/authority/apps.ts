/**
 * The local authority's app registrations and users.
 * @module
 */
import { X509Certificate, createHash, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import type { FederatedCredential } from "./federated-issuer";

/** A registered application. */
export interface TestApp {
  /** The application (client) id. */
  clientId: string;
  /** The service principal's object id (the `oid` of its app-only tokens). */
  objectId: string;
  /** A client secret, for confidential apps that use one. */
  clientSecret?: string;
  /** The registered certificate, for confidential apps that sign client assertions. */
  certificate?: { thumbprintSha1: string; thumbprintSha256: string; publicKey: KeyObject };
  /** Federated identity credentials: external tokens accepted as client assertions (workload identity, GitHub OIDC). */
  federatedCredentials: FederatedCredential[];
  /** Public clients (device code, browser popup) have no secret and may not use client_credentials. */
  publicClient: boolean;
  /** Allowed redirect URIs; for public clients any loopback `http://` URI is accepted too, as Entra ID does. */
  redirectUris: string[];
  /** App roles granted to the app's service principal (the `roles` claim of app-only tokens). */
  roles: string[];
  /** Overrides the authority's token lifetime for this app. */
  tokenLifetimeSeconds?: number;
}

/** What a test gives to register an app; everything has a default. */
export interface TestAppInput {
  clientId?: string;
  /** `true` generates a secret. */
  clientSecret?: string | true;
  /** A certificate (PEM) to register; only its public part is kept. */
  certificatePem?: string;
  /** Federated identity credentials to register. */
  federatedCredentials?: FederatedCredential[];
  publicClient?: boolean;
  redirectUris?: string[];
  roles?: string[];
  tokenLifetimeSeconds?: number;
}

/** Builds a {@link TestApp} from its input. */
export function createApp(input: TestAppInput): TestApp {
  const app: TestApp = {
    clientId: input.clientId ?? randomUUID(),
    objectId: randomUUID(),
    federatedCredentials: input.federatedCredentials ?? [],
    publicClient: input.publicClient ?? false,
    redirectUris: input.redirectUris ?? [],
    roles: input.roles ?? ["AcrPull", "AcrPush"],
  };
  if (input.tokenLifetimeSeconds !== undefined) app.tokenLifetimeSeconds = input.tokenLifetimeSeconds;
  if (input.clientSecret !== undefined) {
    // The "~" makes the secret look like Entra ID's and lets tests spot it in messages.
    app.clientSecret =
      input.clientSecret === true ? `Sec~${randomBytes(24).toString("base64url")}` : input.clientSecret;
  }
  if (input.certificatePem) {
    const cert = new X509Certificate(input.certificatePem);
    app.certificate = {
      thumbprintSha1: createHash("sha1").update(cert.raw).digest("hex"),
      thumbprintSha256: createHash("sha256").update(cert.raw).digest("hex"),
      publicKey: cert.publicKey,
    };
  }
  return app;
}

/** Whether a redirect URI may receive codes for an app. */
export function isAllowedRedirect(app: TestApp, redirectUri: string): boolean {
  if (app.redirectUris.includes(redirectUri)) return true;
  if (!app.publicClient) return false;
  try {
    const url = new URL(redirectUri);
    return url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
  } catch {
    return false;
  }
}

/** A user's stable object id, derived from the name so that the same name is the same user. */
export function userObjectId(username: string): string {
  const h = createHash("sha256").update(username).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The resource part of a requested scope string: its audience, delegated permissions and OIDC extras. */
export interface ResolvedScopes {
  /** The resource (`aud`), or undefined when only OIDC scopes were asked. */
  audience?: string;
  /** Permissions named after the resource (`user_impersonation`, or `.default` mapped to it). */
  permissions: string[];
  /** The resource scopes as requested, echoed in the token response's `scope`. */
  resourceScopes: string[];
  /** Whether `offline_access` was asked (a refresh token is wanted). */
  offlineAccess: boolean;
  /** Whether the scopes name more than one resource (Entra ID refuses that). */
  multipleResources: boolean;
}

const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/** Splits a space-separated scope parameter into resource and OIDC parts. */
export function resolveScopes(scope: string | null | undefined): ResolvedScopes {
  const all = (scope ?? "").split(" ").filter(Boolean);
  const resourceScopes = all.filter((s) => !OIDC_SCOPES.has(s));
  const audiences = new Set<string>();
  const permissions: string[] = [];
  for (const s of resourceScopes) {
    const cut = s.lastIndexOf("/");
    if (cut <= "https://".length) {
      audiences.add(s);
      permissions.push("user_impersonation");
      continue;
    }
    audiences.add(s.slice(0, cut));
    const permission = s.slice(cut + 1);
    permissions.push(permission === ".default" ? "user_impersonation" : permission);
  }
  return {
    audience: audiences.values().next().value,
    permissions: [...new Set(permissions)],
    resourceScopes,
    offlineAccess: all.includes("offline_access"),
    multipleResources: audiences.size > 1,
  };
}
