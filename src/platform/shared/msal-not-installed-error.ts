/**
 * The error of a credential whose MSAL package (an optional peer dependency of acrkit) is not installed.
 * @module
 */
import { CredentialAuthenticationError } from "./credential-authentication-error";

/** The MSAL packages acrkit's credentials load on first use. */
export type MsalPackageName = "@azure/msal-node" | "@azure/msal-browser";

/**
 * A credential built on MSAL was asked for a token, and its MSAL package could not be loaded: `@azure/msal-node`
 * and `@azure/msal-browser` are optional peer dependencies of acrkit, installed by the apps that sign in with
 * Entra ID. The message names the package and the command that installs it. Inside `DefaultAzureCredential` it
 * becomes the `cause` of a `CredentialUnavailableError`, and the chain moves on to its next source.
 */
export class MsalNotInstalledError extends CredentialAuthenticationError {
  /** Always `"MsalNotInstalledError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name: string = "MsalNotInstalledError";
  /** The command that installs the package, e.g. `npm install @azure/msal-node`. */
  readonly installCommand: string;
  /** The message without the credential's name: what is missing and how to install it. */
  readonly reason: string;

  /**
   * @param credentialName - the credential that needs the package, e.g. `"ClientSecretCredential"`
   * @param packageName - the package that could not be loaded
   * @param cause - the error of the failed import
   */
  constructor(
    credentialName: string,
    readonly packageName: MsalPackageName,
    cause: unknown,
  ) {
    const installCommand = `npm install ${packageName}`;
    const what = notFound(cause) ? "is not installed" : `could not be loaded (${describe(cause)})`;
    const reason = `${packageName} ${what}; it is an optional peer dependency of acrkit: install it with \`${installCommand}\``;
    super(credentialName, reason, { errorCode: "msal_not_installed", cause });
    this.installCommand = installCommand;
    this.reason = reason;
  }
}

/** Whether an import failed because the package is absent, as Node (ESM and CommonJS), Deno and Bun say it. */
function notFound(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return true;
  return /cannot find (module|package)|could not resolve|failed to resolve module specifier|not found/i.test(
    describe(cause),
  );
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
