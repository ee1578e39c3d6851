/**
 * Docker credential helpers (`docker-credential-<name> get`): the protocol docker, skopeo, crane and oras share.
 * @module
 */
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { firstErrorLine, parseToolJson, runCommand } from "./run-command";

/** What a helper returns for a registry. */
export interface HelperCredentials {
  /** The user name; `<token>` means that {@link HelperCredentials.secret} is an identity (refresh) token. */
  username: string;
  secret: string;
}

/** Helper names become part of a command name, so only what docker's helpers are named with passes. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Asks `docker-credential-<helper> get` for the credentials of `serverAddress` (written to its stdin); undefined
 * when the helper has none ("credentials not found").
 * @throws {@link CredentialUnavailableError} when the helper is missing, fails, is slow or answers nonsense
 */
export async function getFromHelper(
  credentialName: string,
  helper: string,
  serverAddress: string,
  timeoutMs: number,
): Promise<HelperCredentials | undefined> {
  if (!HELPER_NAME.test(helper)) {
    throw new CredentialUnavailableError(
      credentialName,
      `the credential helper name ${JSON.stringify(helper.slice(0, 100))} is not a plain name`,
    );
  }
  const command = `docker-credential-${helper}`;
  const output = await runCommand(credentialName, command, ["get"], { timeoutMs, input: serverAddress });
  if (output.exitCode !== 0) {
    // Helpers print their errors on stdout; "credentials not found" is the protocol's answer for "no entry".
    if (/credentials not found/i.test(output.stdout) || /credentials not found/i.test(output.stderr)) return undefined;
    throw new CredentialUnavailableError(
      credentialName,
      `\`${command} get\` failed with exit code ${output.exitCode}: ${firstErrorLine(output.stderr)}`,
    );
  }
  const body = parseToolJson(credentialName, command, output.stdout);
  const username = body.Username;
  const secret = body.Secret;
  if (typeof username !== "string" || typeof secret !== "string" || secret.length === 0) {
    throw new CredentialUnavailableError(credentialName, `\`${command} get\` answered without Username and Secret`);
  }
  return { username, secret };
}
