/**
 * @module
 */
import { readFile } from "node:fs/promises";
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { type TokenSource, assertionTokenSource } from "./assertion-token-source";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import type { MsalAccessToken, MsalNodeCredentialOptions } from "./msal-node-common";

/** Options of {@link WorkloadIdentityCredential}; each defaults to the variable AKS workload identity sets. */
export interface WorkloadIdentityCredentialOptions extends MsalNodeCredentialOptions {
  /** The tenant id; default `AZURE_TENANT_ID`. */
  tenantId?: string;
  /** The client id of the app or user-assigned identity the service account is federated with; default `AZURE_CLIENT_ID`. */
  clientId?: string;
  /** The projected service account token's path; default `AZURE_FEDERATED_TOKEN_FILE`. */
  tokenFilePath?: string;
  /** The authority host; default `AZURE_AUTHORITY_HOST`, else the public cloud. */
  authorityHost?: string;
}

const NAME = "WorkloadIdentityCredential";

/**
 * Kubernetes workload identity (AKS, or any cluster whose service account issuer Entra ID trusts): the pod's
 * projected service account token is the client assertion for the federated app or user-assigned identity.
 * The webhook sets `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_FEDERATED_TOKEN_FILE` and `AZURE_AUTHORITY_HOST`,
 * read at construction. The file is read again for every token request to Entra ID, because the kubelet rotates it.
 */
export class WorkloadIdentityCredential implements TokenCredential {
  readonly #source?: TokenSource;
  readonly #unavailable?: string;

  /** @param options - tenant, client and token file (defaults from the environment), authority host and trust */
  constructor(options: WorkloadIdentityCredentialOptions = {}) {
    const env = process.env;
    const tenantId = options.tenantId ?? (env.AZURE_TENANT_ID || undefined);
    const clientId = options.clientId ?? (env.AZURE_CLIENT_ID || undefined);
    const tokenFilePath = options.tokenFilePath ?? (env.AZURE_FEDERATED_TOKEN_FILE || undefined);
    if (!tenantId || !clientId || !tokenFilePath) {
      const missing = [
        !tenantId && "tenantId (AZURE_TENANT_ID)",
        !clientId && "clientId (AZURE_CLIENT_ID)",
        !tokenFilePath && "tokenFilePath (AZURE_FEDERATED_TOKEN_FILE)",
      ].filter(Boolean);
      this.#unavailable = `not configured: ${missing.join(", ")} not set`;
      return;
    }
    const authorityHost = options.authorityHost ?? (env.AZURE_AUTHORITY_HOST || undefined);
    this.#source = assertionTokenSource(NAME, tenantId, clientId, () => readTokenFile(tokenFilePath), {
      ...options,
      authorityHost,
    });
  }

  /**
   * Returns an app-only access token for the scopes, from MSAL's cache while it is fresh.
   * @throws {@link CredentialUnavailableError} when tenant, client id or token file are not configured
   * @throws {@link AuthenticationError} when the token file cannot be read, or the authority refuses it
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    if (!this.#source) throw new CredentialUnavailableError(NAME, this.#unavailable ?? "not configured");
    return this.#source(scopes, options);
  }
}

async function readTokenFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read the federated token file ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const token = text.trim();
  if (token.length === 0) throw new Error(`the federated token file ${path} is empty`);
  return token;
}
