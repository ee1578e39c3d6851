/**
 * The browser redirect sign-in end to end, in Debian's Chromium driven by Playwright from Node, with the real MSAL.js:
 * a click on the test page navigates it to the local authority's login page (MsalBrowserCredential in redirect mode,
 * authorization code with PKCE); the authority sends it back to the page, whose credential redeems the code when it
 * starts, and the page lists repositories from the emulator, whose /oauth2/exchange checks the AAD token against the
 * authority's keys. A second click is silent. The page loads the built package (run `npm run build` first).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LocalAuthority, type TestApp, startAuthority } from "../support/authority/index";
import { type StartedEmulator, startEmulator } from "../support/emulator";
import { serveMsalApp, type MsalApp } from "./fixtures/msal-app-server";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./support/chromium";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(import.meta.dirname, "fixtures", "msal-redirect");
const AUDIENCE = "https://containerregistry.azure.net";
const USERNAME = "rene@acrkit.test";

describe("MsalBrowserCredential in Chromium: redirect sign-in at the local authority, then the registry", () => {
  let authority: LocalAuthority;
  let registry: StartedEmulator;
  let app: MsalApp;
  let spa: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let repositories: string[];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist", "browser.js")))
      throw new Error("dist/browser.js is missing: run `npm run build` first");
    authority = await startAuthority();
    registry = await startEmulator({ cors: true, validateAadToken: authority.tokenValidator({ audience: AUDIENCE }) });
    repositories = (await registry.emulator.seedRepositories(2, { prefix: "redirect/app-" })).sort();
    app = await serveMsalApp(FIXTURES, { "/app.js": "app.ts" }, {}, (origin) => {
      // The page itself is the redirect URI, registered exactly, as an Entra ID admin would.
      spa = authority.registerApp({ publicClient: true, redirectUris: [`${origin}/`] });
      return {
        clientId: spa.clientId,
        authority: authority.authorityUrl,
        knownAuthority: authority.host,
        redirectUri: `${origin}/`,
        registryUrl: registry.url,
        audience: AUDIENCE,
      };
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${authority.pki.serverSpkiSha256}`],
    });
    context = await browser.newContext();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    if (app) {
      app.server.closeAllConnections();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
    }
    await registry?.close();
    await authority?.close();
  });

  const exchanges = () =>
    registry.emulator.requests.filter((r) => r.path.startsWith("/oauth2/exchange") && r.status === 200).length;

  test(
    "the click leaves for the login page, the page comes back signed in and lists; a second click is silent",
    { timeout: 60_000 },
    async () => {
      const dashboard = await context.newPage();
      const pageErrors: string[] = [];
      dashboard.on("pageerror", (err) => pageErrors.push(err.message));
      await dashboard.goto(`${app.origin}/`);
      await dashboard.locator("body[data-ready=true]").waitFor({ timeout: 15_000 });
      expect(await dashboard.locator("#status").textContent()).toBe("Signed out");

      // The click navigates this very page (no popup) to the authority's login page.
      await dashboard.click("#sign-in");
      await dashboard.waitForURL((url) => url.origin === authority.url, { timeout: 15_000 });
      await dashboard.locator("#username").waitFor({ timeout: 15_000 });
      const loginUrl = new URL(dashboard.url());
      expect(loginUrl.pathname).toBe(`/${authority.tenantId}/oauth2/v2.0/authorize`);
      expect(loginUrl.searchParams.get("client_id")).toBe(spa.clientId);
      expect(loginUrl.searchParams.get("redirect_uri")).toBe(app.config.redirectUri);
      expect(loginUrl.searchParams.get("code_challenge_method")).toBe("S256");
      expect(loginUrl.searchParams.get("scope")?.split(" ")).toContain(`${AUDIENCE}/.default`);
      expect(context.pages()).toHaveLength(1);
      expect(exchanges()).toBe(0);

      // Sign in: the authority sends the page back with a code, which the credential redeems as the page starts.
      await dashboard.fill("#username", USERNAME);
      await dashboard.click("#submit");
      await dashboard.waitForURL((url) => url.origin === app.origin, { timeout: 15_000 });
      await dashboard.locator("body[data-runs='1'], body[data-error]").first().waitFor({ timeout: 20_000 });
      expect(await dashboard.locator("#status").textContent()).toBe(
        `Listed ${repositories.length} repositories as ${USERNAME}`,
      );
      expect(await dashboard.locator("#repositories li").allTextContents()).toEqual(repositories);
      expect(exchanges()).toBe(1);
      const codeRedemptions = authority.tokenRequests().filter((r) => r.grantType === "authorization_code");
      expect(codeRedemptions.map((r) => [r.clientId, r.status])).toEqual([[spa.clientId, 200]]);

      // Second click, new acrkit client: MSAL's cache answers, so the page stays and the authority hears nothing.
      const tokenRequestsBefore = authority.tokenRequests().length;
      const authorizeBefore = authority.requests.filter((r) => r.endpoint === "authorize").length;
      let navigations = 0;
      const countNavigation = () => void navigations++;
      dashboard.on("framenavigated", countNavigation);
      await dashboard.click("#sign-in");
      await dashboard.locator("body[data-runs='2'], body[data-error]").first().waitFor({ timeout: 15_000 });
      dashboard.off("framenavigated", countNavigation);
      expect(await dashboard.locator("#status").textContent()).toBe(
        `Listed ${repositories.length} repositories as ${USERNAME}`,
      );
      expect(navigations).toBe(0);
      expect(authority.tokenRequests().length).toBe(tokenRequestsBefore);
      expect(authority.requests.filter((r) => r.endpoint === "authorize").length).toBe(authorizeBefore);
      expect(exchanges()).toBe(2);
      expect(pageErrors).toEqual([]);
    },
  );
});
