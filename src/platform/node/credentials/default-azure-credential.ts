/**
 * @module
 */
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { AggregateAuthenticationError, type CredentialAttempt } from "./aggregate-authentication-error";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { EnvironmentCredential } from "./environment-credential";
import { ManagedIdentityCredential } from "./managed-identity-credential";
import type { MsalAccessToken, MsalNodeCredentialOptions } from "./msal-node-common";

/** Options of {@link DefaultAzureCredential}. */
export interface DefaultAzureCredentialOptions extends MsalNodeCredentialOptions {
  /** A user-assigned managed identity's client id; default `AZURE_CLIENT_ID` when set. */
  managedIdentityClientId?: string;
  /** A user-assigned managed identity's resource id. */
  managedIdentityResourceId?: string;
  /** How long to wait for IMDS to answer at all before giving up on managed identity; default 1000 ms. */
  managedIdentityProbeTimeoutMs?: number;
}

const NAME = "DefaultAzureCredential";

/**
 * Works in most places without configuration: tries {@link EnvironmentCredential} (a service principal from
 * `AZURE_*` variables, e.g. in CI), then {@link ManagedIdentityCredential} (on Azure). The first that yields a
 * token is kept for later calls. When every step is unavailable, or a configured one fails, it throws one
 * {@link AggregateAuthenticationError} listing what each step tried and why it failed.
 */
export class DefaultAzureCredential implements TokenCredential {
  readonly #steps: Array<{ name: string; credential: TokenCredential }>;
  #chosen?: TokenCredential;

  /** @param options - options for the environment step, and the managed identity to use */
  constructor(options: DefaultAzureCredentialOptions = {}) {
    const { managedIdentityClientId, managedIdentityResourceId, managedIdentityProbeTimeoutMs, ...msal } = options;
    const clientId = managedIdentityResourceId ? undefined : managedIdentityClientId ?? (process.env.AZURE_CLIENT_ID || undefined);
    this.#steps = [
      { name: "EnvironmentCredential", credential: new EnvironmentCredential(msal) },
      {
        name: "ManagedIdentityCredential",
        credential: new ManagedIdentityCredential({
          clientId,
          resourceId: managedIdentityResourceId,
          probeTimeoutMs: managedIdentityProbeTimeoutMs ?? 1000,
        }),
      },
    ];
  }

  /**
   * Returns a token from the first step that can give one.
   * @throws {@link AggregateAuthenticationError} when none can
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    if (this.#chosen) return (await this.#chosen.getToken(scopes, options)) as MsalAccessToken;
    const attempts: CredentialAttempt[] = [];
    for (const step of this.#steps) {
      try {
        const token = (await step.credential.getToken(scopes, options)) as MsalAccessToken | null;
        if (!token) throw new CredentialUnavailableError(step.name, "returned no token");
        this.#chosen = step.credential;
        return token;
      } catch (err) {
        if (err instanceof TypeError || (err instanceof Error && err.name === "AbortError")) throw err;
        const error = err instanceof Error ? err : new Error(String(err));
        attempts.push({ credentialName: step.name, error });
        // A configured credential that fails is a mistake to report, not a reason to try the next one.
        if (!(err instanceof CredentialUnavailableError)) break;
      }
    }
    throw new AggregateAuthenticationError(NAME, attempts);
  }
}
