/**
 * @module
 */
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { MsalNotInstalledError } from "../../shared/msal-not-installed-error";
import { AggregateAuthenticationError, type CredentialAttempt } from "./aggregate-authentication-error";
import { AzureCliCredential } from "./azure-cli-credential";
import { AzureDeveloperCliCredential } from "./azure-developer-cli-credential";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { EnvironmentCredential } from "./environment-credential";
import { ManagedIdentityCredential } from "./managed-identity-credential";
import type { MsalAccessToken, MsalNodeCredentialOptions } from "./msal-node-common";
import { WorkloadIdentityCredential } from "./workload-identity-credential";

/** Options of {@link DefaultAzureCredential}. */
export interface DefaultAzureCredentialOptions extends MsalNodeCredentialOptions {
  /** A user-assigned managed identity's client id; default `AZURE_CLIENT_ID` when set. */
  managedIdentityClientId?: string;
  /** A user-assigned managed identity's resource id. */
  managedIdentityResourceId?: string;
  /** How long to wait for IMDS to answer at all before giving up on managed identity; default 1000 ms. */
  managedIdentityProbeTimeoutMs?: number;
  /** The client id for workload identity; default `AZURE_CLIENT_ID`. */
  workloadIdentityClientId?: string;
  /** The tenant for workload identity (default `AZURE_TENANT_ID`) and the developer tools (default their own). */
  tenantId?: string;
  /** How long `az` and `azd` may take to answer; default 10 000 ms. */
  processTimeoutMs?: number;
}

const NAME = "DefaultAzureCredential";

/**
 * Works in most places without configuration, trying in order:
 * {@link EnvironmentCredential} (a service principal from `AZURE_*` variables, e.g. in CI),
 * {@link WorkloadIdentityCredential} (AKS workload identity), {@link ManagedIdentityCredential} (on Azure),
 * {@link AzureCliCredential} (`az login` on a developer machine) and {@link AzureDeveloperCliCredential}
 * (`azd auth login`). The first that yields a token is kept for later calls. A step that is merely unavailable
 * passes to the next (so does a step whose `@azure/msal-node` is not installed); one that was configured and failed
 * stops the chain. Either way, when no token comes, it throws one {@link AggregateAuthenticationError} listing what
 * each step tried and why it failed.
 */
export class DefaultAzureCredential implements TokenCredential {
  readonly #steps: Array<{ name: string; credential: TokenCredential }>;
  #chosen?: TokenCredential;

  /** @param options - authority options for the environment and workload identity steps, the identities and tenant to use, tool timeouts */
  constructor(options: DefaultAzureCredentialOptions = {}) {
    const {
      managedIdentityClientId,
      managedIdentityResourceId,
      managedIdentityProbeTimeoutMs,
      workloadIdentityClientId,
      tenantId,
      processTimeoutMs,
      ...msal
    } = options;
    const clientId = managedIdentityResourceId
      ? undefined
      : (managedIdentityClientId ?? (process.env.AZURE_CLIENT_ID || undefined));
    this.#steps = [
      { name: "EnvironmentCredential", credential: new EnvironmentCredential(msal) },
      {
        name: "WorkloadIdentityCredential",
        credential: new WorkloadIdentityCredential({ ...msal, tenantId, clientId: workloadIdentityClientId }),
      },
      {
        name: "ManagedIdentityCredential",
        credential: new ManagedIdentityCredential({
          clientId,
          resourceId: managedIdentityResourceId,
          probeTimeoutMs: managedIdentityProbeTimeoutMs ?? 1000,
        }),
      },
      { name: "AzureCliCredential", credential: new AzureCliCredential({ tenantId, timeoutMs: processTimeoutMs }) },
      {
        name: "AzureDeveloperCliCredential",
        credential: new AzureDeveloperCliCredential({ tenantId, timeoutMs: processTimeoutMs }),
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
        const error = unavailableWithoutMsal(step.name, err) ?? (err instanceof Error ? err : new Error(String(err)));
        attempts.push({ credentialName: step.name, error });
        // A configured credential that fails is a mistake to report, not a reason to try the next one.
        if (!(error instanceof CredentialUnavailableError)) break;
      }
    }
    throw new AggregateAuthenticationError(NAME, attempts);
  }
}

/**
 * A step that cannot load MSAL is unavailable here, like a step without its environment variables: the chain tries
 * the developer tools next, which need no MSAL.
 */
function unavailableWithoutMsal(stepName: string, err: unknown): CredentialUnavailableError | undefined {
  if (!(err instanceof MsalNotInstalledError)) return undefined;
  return new CredentialUnavailableError(stepName, err.reason, { cause: err });
}
