/**
 * MsalBrowserCredential's control flow against a scripted MSAL.js application (the real popup flow runs in
 * Chromium against the local authority in test/browser): silent first, popup or redirect fallback, the redirect
 * promise handled once, one interaction at a time.
 */
import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from "@azure/msal-browser";
import { InteractionRequiredAuthError } from "@azure/msal-browser";
import { describe, expect, test } from "vitest";
import {
  AuthenticationError,
  MsalBrowserCredential,
  RedirectInProgressError,
} from "../../../../src/platform/browser/index";

const SCOPE = "https://containerregistry.azure.net/.default";

function account(name: string): AccountInfo {
  return {
    homeAccountId: `${name}.tenant`,
    environment: "127.0.0.1",
    tenantId: "tenant",
    username: name,
    localAccountId: name,
  } as AccountInfo;
}

function result(token: string, who: AccountInfo): AuthenticationResult {
  return { accessToken: token, expiresOn: new Date(Date.now() + 3600_000), account: who } as AuthenticationResult;
}

/** A scripted PublicClientApplication that counts calls. */
function fakeApp(
  options: {
    redirectResult?: AuthenticationResult;
    redirectError?: Error;
    popupDelayMs?: number;
    popupError?: Error;
  } = {},
) {
  const calls = { initialize: 0, handleRedirectPromise: 0, silent: 0, popup: 0, redirect: 0 };
  let active: AccountInfo | null = null;
  const accounts: AccountInfo[] = [];
  const tokens = new Map<string, string>();
  const app = {
    async initialize() {
      calls.initialize++;
    },
    async handleRedirectPromise() {
      calls.handleRedirectPromise++;
      if (options.redirectError) throw options.redirectError;
      const r = options.redirectResult;
      if (r?.account) {
        accounts.push(r.account);
        tokens.set(r.account.username, r.accessToken);
      }
      return r ?? null;
    },
    getActiveAccount: () => active,
    setActiveAccount: (a: AccountInfo | null) => void (active = a),
    getAllAccounts: () => [...accounts],
    async acquireTokenSilent({ account: who }: { account: AccountInfo }) {
      calls.silent++;
      const token = tokens.get(who.username);
      if (!token) throw new InteractionRequiredAuthError("interaction_required", "");
      return result(token, who);
    },
    async acquireTokenPopup() {
      calls.popup++;
      await new Promise((resolve) => setTimeout(resolve, options.popupDelayMs ?? 0));
      if (options.popupError) throw options.popupError;
      const who = account("popup.user@acrkit.test");
      accounts.push(who);
      tokens.set(who.username, `token-${calls.popup}`);
      return result(`token-${calls.popup}`, who);
    },
    async acquireTokenRedirect() {
      calls.redirect++;
    },
  };
  return { app: app as unknown as IPublicClientApplication, calls };
}

describe("MsalBrowserCredential", () => {
  test("signs in with a popup once, then serves tokens silently for the active account", async () => {
    const { app, calls } = fakeApp();
    const credential = new MsalBrowserCredential(app);
    const first = await credential.getToken(SCOPE);
    expect(first.token).toBe("token-1");
    expect(first.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect((await credential.getToken([SCOPE])).token).toBe("token-1");
    expect(calls).toMatchObject({ initialize: 1, handleRedirectPromise: 1, popup: 1, redirect: 0 });
    expect(app.getActiveAccount()?.username).toBe("popup.user@acrkit.test");
  });

  test("concurrent calls share one popup", async () => {
    const { app, calls } = fakeApp({ popupDelayMs: 50 });
    const credential = new MsalBrowserCredential(app);
    const tokens = await Promise.all([
      credential.getToken(SCOPE),
      credential.getToken(SCOPE),
      credential.getToken(SCOPE),
    ]);
    expect(tokens.map((t) => t.token)).toEqual(["token-1", "token-1", "token-1"]);
    expect(calls.popup).toBe(1);
  });

  test("picks up a redirect result at start and uses it without any interaction", async () => {
    const who = account("redirected@acrkit.test");
    const { app, calls } = fakeApp({ redirectResult: result("from-redirect", who) });
    const credential = new MsalBrowserCredential(app, { interaction: "redirect" });
    expect((await credential.getToken(SCOPE)).token).toBe("from-redirect");
    expect(calls).toMatchObject({ handleRedirectPromise: 1, popup: 0, redirect: 0 });
    expect(app.getActiveAccount()).toBe(who);
  });

  test("a failed redirect sign-in is reported once, then the user may sign in again", async () => {
    const { app, calls } = fakeApp({
      redirectError: new InteractionRequiredAuthError("access_denied", "", "the user declined"),
    });
    const credential = new MsalBrowserCredential(app);
    const err = await credential.getToken(SCOPE).catch((e: unknown) => e);
    expect(err).toMatchObject({ credentialName: "MsalBrowserCredential", errorCode: "access_denied" });
    expect((await credential.getToken(SCOPE)).token).toBe("token-1");
    expect(calls).toMatchObject({ initialize: 1, handleRedirectPromise: 1, popup: 1 });
  });

  test("redirect mode navigates away and says so", async () => {
    const { app, calls } = fakeApp();
    const credential = new MsalBrowserCredential(app, { interaction: "redirect" });
    await expect(credential.getToken(SCOPE)).rejects.toBeInstanceOf(RedirectInProgressError);
    expect(calls).toMatchObject({ redirect: 1, popup: 0 });
  });

  test("a failed popup is an AuthenticationError, and the next call may try again", async () => {
    const { app, calls } = fakeApp({
      popupError: new InteractionRequiredAuthError("user_cancelled", "", "the user closed the popup"),
    });
    const credential = new MsalBrowserCredential(app);
    const err = await credential.getToken(SCOPE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ credentialName: "MsalBrowserCredential", errorCode: "user_cancelled" });
    await expect(credential.getToken(SCOPE)).rejects.toBeInstanceOf(AuthenticationError);
    expect(calls.popup).toBe(2);
  });

  test("needs a scope", async () => {
    const { app } = fakeApp();
    await expect(new MsalBrowserCredential(app).getToken([])).rejects.toThrow(TypeError);
  });
});
