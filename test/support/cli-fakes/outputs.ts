/**
 * What the real tools print, for the fakes: their JSON answers and their failure messages and exit codes.
 * @module
 */
import type { FakeBehaviour } from "./index";

/** `az account get-access-token --output json`: `expiresOn` in local time, `expires_on` in epoch seconds (newer CLIs). */
export function azAccessToken(
  accessToken: string,
  expiresOnSeconds: number,
  tenant: string,
  options: { withEpoch?: boolean } = {},
): FakeBehaviour {
  const local = new Date(expiresOnSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const expiresOn = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}.000000`;
  const body: Record<string, unknown> = {
    accessToken,
    expiresOn,
    ...(options.withEpoch === false ? {} : { expires_on: expiresOnSeconds }),
    subscription: "5b5c7a0e-0000-4000-8000-000000000001",
    tenant,
    tokenType: "Bearer",
  };
  return { stdout: `${JSON.stringify(body, null, 2)}\n` };
}

/** `az` without `az login`. */
export const AZ_NOT_LOGGED_IN: FakeBehaviour = {
  stderr: "ERROR: Please run 'az login' to setup account.\n",
  exitCode: 1,
};

/** `azd auth token --output json`. */
export function azdAccessToken(token: string, expiresOnSeconds: number): FakeBehaviour {
  const expiresOn = new Date(expiresOnSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { stdout: `${JSON.stringify({ token, expiresOn })}\n` };
}

/** `azd` without `azd auth login`. */
export const AZD_NOT_LOGGED_IN: FakeBehaviour = {
  stderr: "ERROR: fetching token: not logged in, run `azd auth login` to login\n",
  exitCode: 1,
};

/** `docker-credential-<name> get` with a stored credential. */
export function helperCredentials(serverUrl: string, username: string, secret: string): FakeBehaviour {
  return { stdout: `${JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret })}\n` };
}

/** `docker-credential-<name> get` for a host it has nothing for: the message goes to stdout, exit 1. */
export const HELPER_NOT_FOUND: FakeBehaviour = { stdout: "credentials not found in native keychain\n", exitCode: 1 };
