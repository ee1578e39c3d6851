/**
 * @module
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "../../../core/auth/credential";
import {
  type DeveloperCliCredentialOptions,
  type DeveloperCliSettings,
  type DeveloperCliTool,
  checkedRequest,
  checkedSettings,
  readTokenField,
  runDeveloperCli,
  unreadableExpiry,
} from "./developer-cli";

/** Options of {@link AzureDeveloperCliCredential}. */
export type AzureDeveloperCliCredentialOptions = DeveloperCliCredentialOptions;

const TOOL: DeveloperCliTool = {
  credentialName: "AzureDeveloperCliCredential",
  command: "azd",
  windowsBatch: false,
  notLoggedIn: /not logged in|azd auth login/,
  loginCommand: "azd auth login",
};

/**
 * The account signed in to the Azure Developer CLI (`azd auth login`): each token comes from
 * `azd auth token --output json --scope <scope>` (with `--tenant-id` when a tenant is set).
 *
 * Every failure (no `azd`, not signed in, a timeout, output that is not a token) is a
 * {@link CredentialUnavailableError} that says which, so `DefaultAzureCredential` moves on.
 */
export class AzureDeveloperCliCredential implements TokenCredential {
  readonly #settings: DeveloperCliSettings;

  /** @param options - the tenant (default: azd's own) and how long `azd` may take (default 10 s) */
  constructor(options: AzureDeveloperCliCredentialOptions = {}) {
    this.#settings = checkedSettings(TOOL, options);
  }

  /**
   * Returns an access token for the scopes from `azd`.
   * @throws {@link CredentialUnavailableError} when `azd` cannot give one, with the reason
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const request = checkedRequest(TOOL, scopes, this.#settings.tenantId, options);
    const args = ["auth", "token", "--output", "json", ...request.scopes.flatMap((scope) => ["--scope", scope])];
    if (request.tenantId) args.push("--tenant-id", request.tenantId);
    const body = await runDeveloperCli(TOOL, args, this.#settings.timeoutMs, options?.abortSignal);
    const expiresOn = typeof body.expiresOn === "string" ? Date.parse(body.expiresOn) : Number.NaN;
    if (!Number.isFinite(expiresOn)) throw unreadableExpiry(TOOL);
    return { token: readTokenField(TOOL, body, "token"), expiresOnTimestamp: expiresOn };
  }
}
