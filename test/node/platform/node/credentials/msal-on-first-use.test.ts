/**
 * The pieces that let the MSAL credentials load MSAL on first use: the error that names the missing package, and the
 * application made once and retried after a failure. test/package/install.test.ts checks the whole of it in projects
 * that install the tarball without and with MSAL.
 */
import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  CredentialAuthenticationError,
  MsalNotInstalledError,
} from "../../../../../src/platform/node/index";
import { createdOnFirstUse } from "../../../../../src/platform/node/credentials/created-on-first-use";
import { loadMsalNode } from "../../../../../src/platform/node/credentials/msal-node-loader";

/** What Node's ESM loader throws for a package that is not installed. */
function moduleNotFound(): Error {
  return Object.assign(
    new Error("Cannot find package '@azure/msal-node' imported from /app/node_modules/acrkit/dist/node.js"),
    { code: "ERR_MODULE_NOT_FOUND" },
  );
}

describe("MsalNotInstalledError", () => {
  it("names the credential, the package and the command that installs it, and is an AuthenticationError", () => {
    const error = new MsalNotInstalledError("ClientSecretCredential", "@azure/msal-node", moduleNotFound());
    expect(error).toBeInstanceOf(CredentialAuthenticationError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      name: "MsalNotInstalledError",
      credentialName: "ClientSecretCredential",
      packageName: "@azure/msal-node",
      installCommand: "npm install @azure/msal-node",
      errorCode: "msal_not_installed",
    });
    expect(error.message).toBe(
      "ClientSecretCredential authentication failed: @azure/msal-node is not installed; it is an optional peer dependency of acrkit: install it with `npm install @azure/msal-node`",
    );
    expect(error.reason).toBe(error.message.replace("ClientSecretCredential authentication failed: ", ""));
  });

  it("recognises CommonJS's MODULE_NOT_FOUND and a browser's failed specifier as not installed", () => {
    const commonJs = Object.assign(new Error("Cannot find module '@azure/msal-node'"), { code: "MODULE_NOT_FOUND" });
    const browser = new TypeError('Failed to resolve module specifier "@azure/msal-browser"');
    expect(new MsalNotInstalledError("DeviceCodeCredential", "@azure/msal-node", commonJs).message).toContain(
      "@azure/msal-node is not installed;",
    );
    expect(new MsalNotInstalledError("MsalBrowserCredential", "@azure/msal-browser", browser).message).toContain(
      "@azure/msal-browser is not installed;",
    );
  });

  it("says why a package that is there could not be loaded, instead of calling it missing", () => {
    const broken = new SyntaxError("Unexpected token 'export'");
    const error = new MsalNotInstalledError("ManagedIdentityCredential", "@azure/msal-node", broken);
    expect(error.message).toContain(
      "@azure/msal-node could not be loaded (Unexpected token 'export'); it is an optional peer dependency",
    );
    expect(error.cause).toMatchObject({ name: "SyntaxError", message: broken.message });
  });
});

describe("loadMsalNode", () => {
  it("loads the installed @azure/msal-node once, the same module every time", async () => {
    const first = await loadMsalNode("ClientSecretCredential");
    expect(typeof first.ConfidentialClientApplication).toBe("function");
    expect(await loadMsalNode("DeviceCodeCredential")).toBe(first);
  });
});

describe("createdOnFirstUse", () => {
  it("creates on the first call, shares the result, and forgets a failure so that the next call tries again", async () => {
    let calls = 0;
    const get = createdOnFirstUse(async () => {
      calls += 1;
      if (calls === 1) throw moduleNotFound();
      return { made: calls };
    });
    expect(calls).toBe(0);
    await expect(get()).rejects.toThrow("Cannot find package");
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toEqual({ made: 2 });
    expect(b).toBe(a);
    expect(await get()).toBe(a);
    expect(calls).toBe(2);
  });
});
