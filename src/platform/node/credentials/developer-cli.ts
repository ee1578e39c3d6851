/**
 * What the developer-tool credentials (`az`, `azd`) share: argument checks, running the tool, and turning its
 * failures into {@link CredentialUnavailableError}s that never hold what it printed on stdout.
 * @module
 */
import type { GetTokenOptions } from "../../../core/auth/credential";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { checkTenantId, normalizeScopes } from "./msal-node-common";
import { checkTimeout, firstErrorLine, parseToolJson, runCommand } from "./run-command";

/** Options of the credentials that ask a developer tool for a token. */
export interface DeveloperCliCredentialOptions {
  /** The tenant to ask the tool for a token of; default the tool's own (the signed-in account's). */
  tenantId?: string;
  /** How long the tool may take; default 10 000 ms (the first call of `az` on a slow machine takes seconds). */
  timeoutMs?: number;
}

/** The default time a developer tool may take. */
const DEVELOPER_CLI_TIMEOUT_MS = 10_000;

/** {@link DeveloperCliCredentialOptions}, checked, with defaults. */
export interface DeveloperCliSettings {
  tenantId?: string;
  timeoutMs: number;
}

/** Scopes go to the tool as arguments (and through `cmd.exe` on Windows), so only URL-ish characters pass. */
const SAFE_SCOPE = /^[A-Za-z0-9_.:/-]+$/;

/** What a tool call needs to know about its tool. */
export interface DeveloperCliTool {
  /** The credential class, for messages. */
  credentialName: string;
  /** The command, e.g. `az`. */
  command: string;
  /** Whether Windows installs it as a batch file (`az.cmd`). */
  windowsBatch: boolean;
  /** Its standard error says the user must sign in. */
  notLoggedIn: RegExp;
  /** What to run to sign in, for the message. */
  loginCommand: string;
}

/** Checks a developer-tool credential's options before any tool runs. */
export function checkedSettings(tool: DeveloperCliTool, options: DeveloperCliCredentialOptions): DeveloperCliSettings {
  if (options.tenantId !== undefined) checkTenantId(options.tenantId, tool.credentialName);
  return {
    tenantId: options.tenantId,
    timeoutMs: checkTimeout(options.timeoutMs, DEVELOPER_CLI_TIMEOUT_MS, tool.credentialName),
  };
}

/** The scopes, checked, and the tenant of this call (the per-call one wins), checked. */
export function checkedRequest(
  tool: DeveloperCliTool,
  scopes: string | string[],
  defaultTenant: string | undefined,
  options: GetTokenOptions | undefined,
): { scopes: string[]; tenantId?: string } {
  const list = normalizeScopes(scopes, tool.credentialName);
  for (const scope of list) {
    if (!SAFE_SCOPE.test(scope))
      throw new TypeError(
        `${tool.credentialName} got a scope with characters a scope cannot have: ${JSON.stringify(scope.slice(0, 200))}`,
      );
  }
  const tenantId = options?.tenantId || defaultTenant;
  if (tenantId !== undefined) checkTenantId(tenantId, tool.credentialName);
  return { scopes: list, tenantId };
}

/**
 * Runs the tool and returns its JSON answer.
 * @throws {@link CredentialUnavailableError} when it is missing, not signed in, slow, failing or unparseable
 */
export async function runDeveloperCli(
  tool: DeveloperCliTool,
  args: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const output = await runCommand(tool.credentialName, tool.command, args, {
    timeoutMs,
    signal,
    windowsBatch: tool.windowsBatch,
  });
  if (output.exitCode !== 0) {
    // cmd.exe's own "not recognized" (exit 1) and a POSIX shell's 127 both mean the tool is not there.
    if (output.exitCode === 127 || /is not recognized as an internal or external command/i.test(output.stderr)) {
      throw new CredentialUnavailableError(tool.credentialName, `\`${tool.command}\` is not installed or not on PATH`);
    }
    if (tool.notLoggedIn.test(output.stderr)) {
      throw new CredentialUnavailableError(
        tool.credentialName,
        `not signed in to \`${tool.command}\`: run \`${tool.loginCommand}\``,
      );
    }
    throw new CredentialUnavailableError(
      tool.credentialName,
      `\`${tool.command}\` failed with exit code ${output.exitCode}: ${firstErrorLine(output.stderr)}`,
    );
  }
  return parseToolJson(tool.credentialName, tool.command, output.stdout);
}

/** A non-empty string field of the tool's answer. */
export function readTokenField(tool: DeveloperCliTool, body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value === "string" && value.length > 0) return value;
  throw new CredentialUnavailableError(tool.credentialName, `\`${tool.command}\` printed JSON without a ${field}`);
}

/** An expiry the tool printed that cannot be read. */
export function unreadableExpiry(tool: DeveloperCliTool): CredentialUnavailableError {
  return new CredentialUnavailableError(
    tool.credentialName,
    `\`${tool.command}\` printed an expiry that is not a date`,
  );
}
