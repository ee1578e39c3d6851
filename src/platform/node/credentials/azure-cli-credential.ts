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

/** Options of {@link AzureCliCredential}. */
export type AzureCliCredentialOptions = DeveloperCliCredentialOptions;

const TOOL: DeveloperCliTool = {
  credentialName: "AzureCliCredential",
  command: "az",
  windowsBatch: true,
  notLoggedIn: /az login|az account set/,
  loginCommand: "az login",
};

/**
 * The account signed in to the Azure CLI (`az login`) on a developer machine or in a pipeline step that ran
 * `az login`: each token comes from `az account get-access-token --output json --resource <audience>` (with
 * `--tenant` when a tenant is set). The CLI keeps and refreshes its own tokens; acrkit caches the registry's.
 *
 * Every failure (no `az`, not signed in, a timeout, output that is not a token) is a
 * {@link CredentialUnavailableError} that says which, so `DefaultAzureCredential` moves on.
 *
 * @example
 * ```ts
 * const client = new ContainerRegistryClient("https://myregistry.azurecr.io", new AzureCliCredential());
 * ```
 */
export class AzureCliCredential implements TokenCredential {
  readonly #settings: DeveloperCliSettings;

  /** @param options - the tenant (default: the CLI's current one) and how long `az` may take (default 10 s) */
  constructor(options: AzureCliCredentialOptions = {}) {
    this.#settings = checkedSettings(TOOL, options);
  }

  /**
   * Returns an access token for one scope (`<resource>/.default`) from `az`.
   * @throws {@link CredentialUnavailableError} when `az` cannot give one, with the reason
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const request = checkedRequest(TOOL, scopes, this.#settings.tenantId, options);
    if (request.scopes.length !== 1)
      throw new TypeError(`${TOOL.credentialName} takes exactly one scope, got ${request.scopes.length}`);
    const resource = request.scopes[0].replace(/\/\.default$/, "");
    const args = ["account", "get-access-token", "--output", "json", "--resource", resource];
    if (request.tenantId) args.push("--tenant", request.tenantId);
    const body = await runDeveloperCli(TOOL, args, this.#settings.timeoutMs, options?.abortSignal);
    return { token: readTokenField(TOOL, body, "accessToken"), expiresOnTimestamp: expiryOf(body) };
  }
}

/** `expires_on` (epoch seconds, newer CLIs) or `expiresOn` (local time, `2026-12-04 19:00:00.000000`), in ms. */
function expiryOf(body: Record<string, unknown>): number {
  const seconds = typeof body.expires_on === "string" ? Number(body.expires_on) : body.expires_on;
  if (typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const local =
    typeof body.expiresOn === "string"
      ? /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d{1,3})?\d*$/.exec(body.expiresOn.trim())
      : null;
  // Without an offset, ECMAScript reads a date-time as local time, which is what the CLI printed.
  const time = local ? new Date(`${local[1]}T${local[2]}${local[3] ?? ""}`).getTime() : Number.NaN;
  if (Number.isFinite(time)) return time;
  throw unreadableExpiry(TOOL);
}
