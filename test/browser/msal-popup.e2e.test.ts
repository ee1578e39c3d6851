/**
 * The browser popup sign-in end to end, in Debian's Chromium driven by Playwright from Node: a test page signs a user
 * in through the local authority's login page in a popup (MSAL.js, authorization code with PKCE), hands the token
 * to acrkit through MsalBrowserCredential, and lists repositories from the emulator, whose /oauth2/exchange checks
 * the AAD token against the authority's keys. The page loads the built package (run `npm run build` first).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LocalAuthority, type TestApp, startAuthority } from "../support/authority/index";
import { type StartedEmulator, startEmulator } from "../support/emulator";
import { htmlPage, serveMsalApp, type MsalApp } from "./fixtures/msal-app-server";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./support/chromium";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(import.meta.dirname, "fixtures", "msal-popup");
const AUDIENCE = "https://containerregistry.azure.net";
const USERNAME = "dana@acrkit.test";

describe("MsalBrowserCredential in Chromium: popup sign-in at the local authority, then the registry", () => {
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
    await registry.emulator.seedImage({ repository: "hello-world", tags: ["latest"] });
    repositories = [
      ...(await registry.emulator.seedRepositories(3, { prefix: "dashboard/app-" })),
      "hello-world",
    ].sort();
    const redirectPage = htmlPage(
      "Signing in",
      `<p>Finishing sign-in…</p><script type="module" src="/redirect.js"></script>`,
    );
    app = await serveMsalApp(
      FIXTURES,
      { "/app.js": "app.ts", "/redirect.js": "redirect.ts" },
      { "/redirect.html": redirectPage },
      (origin) => {
        // A single-page app registration with exactly this redirect URI, as an Entra ID admin would make it.
        spa = authority.registerApp({ publicClient: true, redirectUris: [`${origin}/redirect.html`] });
        return {
          clientId: spa.clientId,
          authority: authority.authorityUrl,
          knownAuthority: authority.host,
          redirectUri: `${origin}/redirect.html`,
          registryUrl: registry.url,
          audience: AUDIENCE,
        };
      },
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      // Trusts the authority's test certificate by its key, for this browser only.
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
  const listed = (dashboard: Page) => dashboard.locator("#repositories li").allTextContents();

  test(
    "the first click signs in through the popup, the second is silent; both list the repositories",
    { timeout: 30_000 },
    async () => {
      const dashboard = await context.newPage();
      const pageErrors: string[] = [];
      dashboard.on("pageerror", (err) => pageErrors.push(err.message));
      await dashboard.goto(`${app.origin}/`);
      await dashboard.locator("body[data-ready=true]").waitFor({ timeout: 10_000 });

      // First click: nothing is cached, so the credential opens MSAL's popup at the authority's login page.
      const popupOpened = context.waitForEvent("page", { timeout: 10_000 });
      await dashboard.click("#sign-in");
      const popup = await popupOpened;
      await popup.locator("#username").waitFor({ timeout: 10_000 });
      const loginUrl = new URL(popup.url());
      expect(loginUrl.origin).toBe(authority.url);
      expect(loginUrl.pathname).toBe(`/${authority.tenantId}/oauth2/v2.0/authorize`);
      expect(loginUrl.searchParams.get("client_id")).toBe(spa.clientId);
      expect(loginUrl.searchParams.get("redirect_uri")).toBe(app.config.redirectUri);
      expect(loginUrl.searchParams.get("code_challenge_method")).toBe("S256");
      expect(loginUrl.searchParams.get("scope")?.split(" ")).toContain(`${AUDIENCE}/.default`);
      await popup.fill("#username", USERNAME);
      const popupClosed = popup.waitForEvent("close", { timeout: 15_000 });
      await popup.click("#submit");
      // The redirect page's bridge hands the code to the dashboard, then closes the popup.
      await popupClosed;

      await dashboard.locator("body[data-runs='1'], body[data-error]").first().waitFor({ timeout: 15_000 });
      expect(await dashboard.locator("#status").textContent()).toBe(
        `Listed ${repositories.length} repositories as ${USERNAME}`,
      );
      expect(await listed(dashboard)).toEqual(repositories);
      expect(exchanges()).toBe(1);
      // The code was redeemed once, with PKCE, by this app; the emulator accepted the token it produced.
      const codeRedemptions = authority.tokenRequests().filter((r) => r.grantType === "authorization_code");
      expect(codeRedemptions.map((r) => [r.clientId, r.status])).toEqual([[spa.clientId, 200]]);

      mkdirSync(join(ROOT, "test-results"), { recursive: true });
      await dashboard.screenshot({ path: join(ROOT, "test-results", "msal-popup.png") });

      // Second click, new acrkit client: MSAL's cache answers, so there is no popup and no trip to the authority,
      // yet the registry sees a fresh token exchange.
      const tokenRequestsBefore = authority.tokenRequests().length;
      const authorizeBefore = authority.requests.filter((r) => r.endpoint === "authorize").length;
      let popups = 0;
      const countPopup = () => void popups++;
      context.on("page", countPopup);
      await dashboard.click("#sign-in");
      await dashboard.locator("body[data-runs='2'], body[data-error]").first().waitFor({ timeout: 10_000 });
      context.off("page", countPopup);
      expect(await dashboard.locator("#status").textContent()).toBe(
        `Listed ${repositories.length} repositories as ${USERNAME}`,
      );
      expect(await listed(dashboard)).toEqual(repositories);
      expect(popups).toBe(0);
      expect(context.pages()).toHaveLength(1);
      expect(authority.tokenRequests().length).toBe(tokenRequestsBefore);
      expect(authority.requests.filter((r) => r.endpoint === "authorize").length).toBe(authorizeBefore);
      expect(exchanges()).toBe(2);
      expect(pageErrors).toEqual([]);
    },
  );
});
