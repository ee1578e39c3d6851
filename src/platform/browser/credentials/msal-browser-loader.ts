/**
 * `@azure/msal-browser`, loaded when a credential first needs to create an MSAL.js application.
 * @module
 */
import { MsalNotInstalledError } from "../../shared/msal-not-installed-error";

/** The module `@azure/msal-browser` exports. */
export type MsalBrowser = typeof import("@azure/msal-browser");

/**
 * Imports `@azure/msal-browser`. A bundler that finds it installed puts it in a chunk of its own, fetched on the first
 * sign-in; one that does not builds all the same (the import sits in a `try`, which webpack treats as optional, and
 * Vite resolves an optional peer dependency to a module that fails when loaded) and this call fails instead.
 * @throws {@link MsalNotInstalledError} naming `credentialName` when it is not installed
 */
export async function loadMsalBrowser(credentialName: string): Promise<MsalBrowser> {
  let msal: Partial<MsalBrowser>;
  try {
    msal = await import("@azure/msal-browser");
  } catch (err) {
    throw new MsalNotInstalledError(credentialName, "@azure/msal-browser", err);
  }
  // webpack's `resolve.alias: { "@azure/msal-browser": false }` (a way to silence its warning) gives an empty module.
  if (typeof msal.PublicClientApplication !== "function") {
    throw new MsalNotInstalledError(
      credentialName,
      "@azure/msal-browser",
      new Error("Cannot find module '@azure/msal-browser': the bundle holds an empty module"),
    );
  }
  return msal as MsalBrowser;
}
