/**
 * @module
 */
import type { ManagedIdentityApplication } from "@azure/msal-node";
import type { MsalNetworkModule } from "./msal-network-module";
import type { GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import { raceSignal } from "../../../core/utils/abort";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { type MsalAccessToken, normalizeScopes, toAccessToken, wrapError } from "./msal-node-common";
import { type MsalNode, loadMsalNode } from "./msal-node-loader";
import { NodeNetworkClient } from "./node-network-client";

/** Options of {@link ManagedIdentityCredential}; name at most one user-assigned identity, else the system-assigned one is used. */
export interface ManagedIdentityCredentialOptions {
  /** A user-assigned identity's client id. */
  clientId?: string;
  /** A user-assigned identity's Azure resource id (`/subscriptions/.../userAssignedIdentities/name`). */
  resourceId?: string;
  /** A user-assigned identity's object (principal) id. */
  objectId?: string;
  /**
   * On a VM (IMDS), how long to wait for the first answer before deciding there is no managed identity endpoint
   * here; unset means no limit. `DefaultAzureCredential` sets it so that it moves on quickly off Azure.
   */
  probeTimeoutMs?: number;
  /** A custom MSAL network module. */
  networkClient?: MsalNetworkModule;
}

const NAME = "ManagedIdentityCredential";
const IMDS_DEFAULT = "http://169.254.169.254";

/** Where MSAL will ask for a token, for messages: the source name and its endpoint. */
function describeSource(source: string, { ManagedIdentitySourceNames }: MsalNode): string {
  const env = process.env;
  switch (source) {
    case ManagedIdentitySourceNames.APP_SERVICE:
      return `App Service endpoint ${env.IDENTITY_ENDPOINT ?? "?"} (IDENTITY_ENDPOINT)`;
    case ManagedIdentitySourceNames.DEFAULT_TO_IMDS:
    case ManagedIdentitySourceNames.IMDS: {
      const fromEnv = env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
      return `IMDS at ${fromEnv ?? IMDS_DEFAULT}${fromEnv ? " (AZURE_POD_IDENTITY_AUTHORITY_HOST)" : ""}`;
    }
    default:
      return `${source} managed identity endpoint`;
  }
}

/**
 * The managed identity of the Azure resource the code runs on: Azure VMs and scale sets (IMDS), App Service,
 * Functions and Container Apps (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`), and the other sources MSAL-node's
 * `ManagedIdentityApplication` knows (Azure Arc, Cloud Shell, Service Fabric, Machine Learning). `@azure/msal-node`
 * is loaded on the first `getToken`.
 *
 * MSAL picks the source from the environment once per process and caches tokens per identity process-wide.
 * AKS pod identity (and tests) point IMDS elsewhere with `AZURE_POD_IDENTITY_AUTHORITY_HOST`.
 */
export class ManagedIdentityCredential implements TokenCredential {
  readonly #options: ManagedIdentityCredentialOptions;
  #app?: ManagedIdentityApplication;

  /**
   * @param options - a user-assigned identity's client id (as a string, or `{ clientId }`), `{ resourceId }` or
   *   `{ objectId }`; nothing means the system-assigned identity
   */
  constructor(options: string | ManagedIdentityCredentialOptions = {}) {
    this.#options = typeof options === "string" ? { clientId: options } : { ...options };
    const named = [this.#options.clientId, this.#options.resourceId, this.#options.objectId].filter(
      (v) => v !== undefined,
    );
    if (named.length > 1) throw new TypeError(`${NAME} takes at most one of clientId, resourceId and objectId`);
  }

  #application({ ManagedIdentityApplication, ManagedIdentitySourceNames }: MsalNode): ManagedIdentityApplication {
    if (this.#app) return this.#app;
    const o = this.#options;
    const managedIdentityIdParams = o.clientId
      ? { userAssignedClientId: o.clientId }
      : o.resourceId
        ? { userAssignedResourceId: o.resourceId }
        : o.objectId
          ? { userAssignedObjectId: o.objectId }
          : undefined;
    const probe = new ManagedIdentityApplication({ managedIdentityIdParams });
    const isImds = probe.getManagedIdentitySource() === ManagedIdentitySourceNames.DEFAULT_TO_IMDS;
    let networkClient = o.networkClient;
    if (!networkClient && isImds && o.probeTimeoutMs)
      networkClient = new NodeNetworkClient({ probeTimeoutMs: o.probeTimeoutMs });
    this.#app = networkClient
      ? new ManagedIdentityApplication({
          managedIdentityIdParams,
          system: { networkClient, disableInternalRetries: isImds && !!o.probeTimeoutMs },
        })
      : probe;
    return this.#app;
  }

  /**
   * Returns an access token for one scope (`<resource>/.default`), from MSAL's cache while it is fresh.
   * @throws {@link CredentialUnavailableError} when no managed identity endpoint answers, or IMDS has no such identity
   * @throws {@link AuthenticationError} when the endpoint refuses
   * @throws {@link MsalNotInstalledError} (an AuthenticationError) when `@azure/msal-node` is not installed
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<MsalAccessToken> {
    const list = normalizeScopes(scopes, NAME);
    if (list.length !== 1) throw new TypeError(`${NAME} takes exactly one scope, got ${list.length}`);
    const msal = await loadMsalNode(NAME);
    const { AuthError, ManagedIdentitySourceNames, ServerError } = msal;
    const app = this.#application(msal);
    const source = app.getManagedIdentitySource();
    try {
      return toAccessToken(await raceSignal(app.acquireToken({ resource: list[0] }), options?.abortSignal), NAME);
    } catch (err) {
      const where = describeSource(source, msal);
      if (err instanceof AuthError && err.errorCode === "network_error") {
        throw new CredentialUnavailableError(
          NAME,
          `no managed identity endpoint answered: tried ${where} (${err.errorMessage || err.errorCode})`,
          { cause: err },
        );
      }
      const isImds =
        source === ManagedIdentitySourceNames.DEFAULT_TO_IMDS || source === ManagedIdentitySourceNames.IMDS;
      if (isImds && err instanceof ServerError && err.status === 400) {
        throw new CredentialUnavailableError(
          NAME,
          `${where} has no such managed identity (${err.errorMessage || err.errorCode})`,
          { cause: err },
        );
      }
      const wrapped = wrapError(err, NAME);
      if (wrapped !== err && !(wrapped instanceof CredentialUnavailableError))
        wrapped.message = `${wrapped.message} (tried ${where})`;
      throw wrapped;
    }
  }
}
