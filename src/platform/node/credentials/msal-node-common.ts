/**
 * Shared MSAL-node plumbing for the credentials: authority URLs, trust of non-public authorities, the network
 * client, scope handling, result mapping and error wrapping (with secrets redacted).
 * @module
 */
import type { AuthenticationResult, Configuration } from "@azure/msal-node";
import type { MsalNetworkModule } from "./msal-network-module";
import type { AccessToken, GetTokenOptions } from "../../../core/auth/credential";
import { CredentialAuthenticationError } from "../../shared/credential-authentication-error";
import { isMsalError } from "../../shared/msal-error-fields";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { NodeNetworkClient } from "./node-network-client";

/** The public cloud's authority host. Sovereign clouds: `https://login.microsoftonline.us`, `https://login.chinacloudapi.cn`. */
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

/** Options every MSAL-based credential of `acrkit/node` takes. */
export interface MsalNodeCredentialOptions {
  /** The authority host (sovereign clouds, Azure Stack, tests); default `https://login.microsoftonline.com`. */
  authorityHost?: string;
  /**
   * Hosts (`host` or `host:port`) to trust as authorities without asking Entra ID's instance discovery, for
   * private clouds and test authorities.
   */
  knownAuthorities?: string[];
  /**
   * Skips Entra ID's instance discovery (and authority validation) and trusts `authorityHost` as it is. Needed for
   * authorities that Entra ID does not know: Azure Stack, ADFS-like private clouds, a local test authority.
   */
  disableInstanceDiscovery?: boolean;
  /**
   * Extra CA certificates (PEM) to trust when talking to the authority, e.g. a private cloud's or a test
   * authority's CA. Alternative without code: start Node with `NODE_EXTRA_CA_CERTS=/path/ca.pem`.
   */
  caCertificates?: string | string[];
  /** A custom MSAL network module (proxies, custom TLS); takes precedence over `caCertificates`. */
  networkClient?: MsalNetworkModule;
}

/** The authority host without a trailing slash, validated as an https URL. */
export function normalizeAuthorityHost(authorityHost: string | undefined): string {
  const host = (authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new TypeError(`authorityHost is not a URL: ${host}`);
  }
  if (url.protocol !== "https:") throw new TypeError(`authorityHost must use https: ${host}`);
  return host;
}

/** The tenant id must be a GUID or a domain-like name; anything else would change the authority URL's path. */
export function checkTenantId(tenantId: string, credentialName: string): void {
  if (typeof tenantId !== "string" || !/^[0-9A-Za-z.-]+$/.test(tenantId)) {
    const shown = typeof tenantId === "string" ? JSON.stringify(tenantId.slice(0, 100)) : String(tenantId);
    throw new TypeError(`${credentialName} needs a tenant id made of letters, digits, '.' and '-', got ${shown}`);
  }
}

/** The `auth` fields common to every MSAL application: authority URL and authority trust. */
export function authorityConfig(
  tenantId: string,
  options: MsalNodeCredentialOptions,
): Pick<Configuration["auth"], "authority" | "knownAuthorities"> {
  const host = normalizeAuthorityHost(options.authorityHost);
  const known = [...(options.knownAuthorities ?? [])];
  if (options.disableInstanceDiscovery) known.push(new URL(host).host);
  return { authority: `${host}/${tenantId}`, knownAuthorities: known };
}

/** The `system` section: our network client when extra CAs are wanted, else MSAL's default. */
export function systemConfig(options: MsalNodeCredentialOptions): Configuration["system"] {
  if (options.networkClient) return { networkClient: options.networkClient };
  if (options.caCertificates !== undefined)
    return { networkClient: new NodeNetworkClient({ caCertificates: options.caCertificates }) };
  return {};
}

/** Scopes as a non-empty array. */
export function normalizeScopes(scopes: string | string[], credentialName: string): string[] {
  const list = (Array.isArray(scopes) ? scopes : [scopes]).filter((s) => typeof s === "string" && s.length > 0);
  if (list.length === 0) throw new TypeError(`${credentialName}.getToken needs at least one scope`);
  return list;
}

/** The authority URL for a per-call tenant (`getToken(scopes, { tenantId })`), or undefined for the default one. */
export function authorityForTenant(
  options: GetTokenOptions | undefined,
  defaultTenant: string,
  credentialOptions: MsalNodeCredentialOptions,
  credentialName: string,
): string | undefined {
  const tenantId = options?.tenantId;
  if (!tenantId || tenantId === defaultTenant) return undefined;
  checkTenantId(tenantId, credentialName);
  return `${normalizeAuthorityHost(credentialOptions.authorityHost)}/${tenantId}`;
}

/** An {@link AccessToken} with what else MSAL knows about it. */
export interface MsalAccessToken extends AccessToken {
  /** Always `"Bearer"` here. */
  tokenType: "Bearer";
  /** When MSAL will proactively renew the token (ms since the epoch), when the authority said. */
  refreshAfterTimestamp?: number;
}

/** Maps MSAL's result to an access token, refusing results without one. */
export function toAccessToken(result: AuthenticationResult | null, credentialName: string): MsalAccessToken {
  if (!result?.accessToken || !result.expiresOn) {
    throw new CredentialAuthenticationError(credentialName, "the authority returned no access token");
  }
  const token: MsalAccessToken = {
    token: result.accessToken,
    expiresOnTimestamp: result.expiresOn.getTime(),
    tokenType: "Bearer",
  };
  if (result.refreshOn) token.refreshAfterTimestamp = result.refreshOn.getTime();
  return token;
}

/** Replaces every occurrence of the secrets in a text. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}

/**
 * Turns whatever MSAL threw into an {@link CredentialAuthenticationError} (or passes a credential error through), with any
 * secret the credential holds removed from the message.
 */
export function wrapError(
  err: unknown,
  credentialName: string,
  secrets: ReadonlyArray<string | undefined> = [],
): Error {
  if (err instanceof CredentialAuthenticationError || err instanceof CredentialUnavailableError) return err;
  if (err instanceof Error && err.name === "AbortError") return err;
  if (isMsalError(err)) {
    const status = err.status;
    const what = err.errorMessage || err.message || err.errorCode;
    return new CredentialAuthenticationError(credentialName, redact(`${err.errorCode}: ${what}`, secrets), {
      errorCode: err.errorCode,
      statusCode: status,
      correlationId: err.correlationId || undefined,
      cause: err,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CredentialAuthenticationError(credentialName, redact(message, secrets), { cause: err });
}
