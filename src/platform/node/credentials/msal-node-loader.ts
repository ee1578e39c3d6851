/**
 * `@azure/msal-node`, loaded on the first token request of a credential that needs it: acrkit/node imports without
 * it, and only the Entra ID credentials ask for it.
 * @module
 */
import { MsalNotInstalledError } from "../../shared/msal-not-installed-error";

/** The module `@azure/msal-node` exports. */
export type MsalNode = typeof import("@azure/msal-node");

let loaded: MsalNode | undefined;

/**
 * Imports `@azure/msal-node` once per process.
 * @throws {@link MsalNotInstalledError} naming `credentialName` when it is not installed; a later call tries again
 */
export async function loadMsalNode(credentialName: string): Promise<MsalNode> {
  if (loaded) return loaded;
  try {
    loaded = await import("@azure/msal-node");
  } catch (err) {
    throw new MsalNotInstalledError(credentialName, "@azure/msal-node", err);
  }
  return loaded;
}
