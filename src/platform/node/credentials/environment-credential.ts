/**
 * @module
 */
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { ClientCertificateCredential } from "./client-certificate-credential";
import { ClientSecretCredential } from "./client-secret-credential";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import type { MsalAccessToken, MsalNodeCredentialOptions } from "./msal-node-common";

/** Options of {@link EnvironmentCredential}; `authorityHost` here wins over `AZURE_AUTHORITY_HOST`. */
export type EnvironmentCredentialOptions = MsalNodeCredentialOptions;

const NAME = "EnvironmentCredential";

/**
 * A service principal configured through environment variables, as the Azure SDKs and CLIs read them:
 * `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, and either `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH`
 * (with optional `AZURE_CLIENT_CERTIFICATE_PASSWORD` and `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=true`);
 * `AZURE_AUTHORITY_HOST` selects a sovereign cloud. The variables are read once, at construction.
 */
export class EnvironmentCredential implements TokenCredential {
  readonly #credential?: TokenCredential;
  readonly #unavailable?: string;

  /** @param options - authority host and trust, CA certificates, network client */
  constructor(options: EnvironmentCredentialOptions = {}) {
    const env = process.env;
    const tenantId = env.AZURE_TENANT_ID;
    const clientId = env.AZURE_CLIENT_ID;
    const secret = env.AZURE_CLIENT_SECRET;
    const certificatePath = env.AZURE_CLIENT_CERTIFICATE_PATH;
    const merged: MsalNodeCredentialOptions = {
      ...options,
      authorityHost: options.authorityHost ?? (env.AZURE_AUTHORITY_HOST || undefined),
    };
    const missing = [
      !tenantId && "AZURE_TENANT_ID",
      !clientId && "AZURE_CLIENT_ID",
      !secret && !certificatePath && "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH",
    ].filter(Boolean);
    if (!tenantId || !clientId || (!secret && !certificatePath)) {
      this.#unavailable = `environment variables are not set: ${missing.join(", ")}`;
      return;
    }
    this.#credential = secret
      ? new ClientSecretCredential(tenantId, clientId, secret, merged)
      : new ClientCertificateCredential(
          tenantId,
          clientId,
          { certificatePath: certificatePath as string },
          {
            ...merged,
            certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD || undefined,
            sendCertificateChain:
              env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === "true" || env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === "1",
          },
        );
  }

  /**
   * Returns a token from the configured client secret or certificate credential.
   * @throws {@link CredentialUnavailableError} when the variables are missing
   * @throws {@link AuthenticationError} when the authority refuses
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    if (!this.#credential) throw new CredentialUnavailableError(NAME, this.#unavailable ?? "not configured");
    return (await this.#credential.getToken(scopes, options)) as MsalAccessToken;
  }
}
