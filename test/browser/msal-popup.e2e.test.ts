/**
 * The browser popup sign-in end to end, in Debian's Chromium driven by Playwright from Node: a test page signs a user
 * in through the local authority's login page in a popup (MSAL.js, authorization code with PKCE), hands the token
 * to acrkit through MsalBrowserCredential, and lists repositories from the emulator, whose /oauth2/exchange checks
 * the AAD token against the authority's keys. The page loads the built package (run `npm run build` first).
 */
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LocalAuthority, type TestApp, startAuthority } from "../support/authority/index";
import { type StartedEmulator, startEmulator } from "../support/emulator";
import type { MsalPopupPageConfig } from "./fixtures/msal-popup/app";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./support/chromium";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(import.meta.dirname, "fixtures", "msal-popup");
const AUDIENCE = "https://containerregistry.azure.net";
const USERNAME = "dana@acrkit.test";

/** Bundles one fixture entry for the page; `acrkit/browser` resolves to dist/browser.js through the package's exports. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(FIXTURES, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem}li{font-family:monospace}</style></head>
<body>${body}</body></html>`;
}

/** The app origin: the dashboard page, its script, and the redirect page MSAL's popup lands on. */
async function serveApp(config: (origin: string) => MsalPopupPageConfig): Promise<{ origin: string; server: Server; config: MsalPopupPageConfig }> {
  const [appJs, redirectJs] = await Promise.all([bundle("app.ts"), bundle("redirect.ts")]);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pageConfig = config(origin);
  // "<" escaped so that no value can close the script element early.
  const configJson = JSON.stringify(pageConfig).replaceAll("<", "\\u003c");
  const files: Record<string, [string, string]> = {
    "/": ["text/html", page("acrkit dashboard", `<h1>Repositories</h1>
<button id="sign-in" type="button">Sign in and list</button>
<p id="status">Signed out</p>
<ul id="repositories"></ul>
<script id="config" type="application/json">${configJson}</script>
<script type="module" src="/app.js"></script>`)],
    "/app.js": ["text/javascript", appJs],
    "/redirect.html": ["text/html", page("Signing in", `<p>Finishing sign-in…</p><script type="module" src="/redirect.js"></script>`)],
    "/redirect.js": ["text/javascript", redirectJs],
  };
  server.on("request", (req, res) => {
    const file = files[new URL(req.url ?? "/", origin).pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": `${file[0]}; charset=utf-8`, "cache-control": "no-store" }).end(file[1]);
  });
  return { origin, server, config: pageConfig };
}

describe("MsalBrowserCredential in Chromium: popup sign-in at the local authority, then the registry", () => {
  let authority: LocalAuthority;
  let registry: StartedEmulator;
  let app: { origin: string; server: Server; config: MsalPopupPageConfig };
  let spa: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let repositories: string[];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist", "browser.js"))) throw new Error("dist/browser.js is missing: run `npm run build` first");
    authority = await startAuthority();
    registry = await startEmulator({ cors: true, validateAadToken: authority.tokenValidator({ audience: AUDIENCE }) });
    await registry.emulator.seedImage({ repository: "hello-world", tags: ["latest"] });
    repositories = [...(await registry.emulator.seedRepositories(3, { prefix: "dashboard/app-" })), "hello-world"].sort();
    app = await serveApp((origin) => {
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
    });
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

  const exchanges = () => registry.emulator.requests.filter((r) => r.path.startsWith("/oauth2/exchange") && r.status === 200).length;
  const listed = (dashboard: Page) => dashboard.locator("#repositories li").allTextContents();

  test("the first click signs in through the popup, the second is silent; both list the repositories", { timeout: 30_000 }, async () => {
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
    expect(await dashboard.locator("#status").textContent()).toBe(`Listed ${repositories.length} repositories as ${USERNAME}`);
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
    expect(await dashboard.locator("#status").textContent()).toBe(`Listed ${repositories.length} repositories as ${USERNAME}`);
    expect(await listed(dashboard)).toEqual(repositories);
    expect(popups).toBe(0);
    expect(context.pages()).toHaveLength(1);
    expect(authority.tokenRequests().length).toBe(tokenRequestsBefore);
    expect(authority.requests.filter((r) => r.endpoint === "authorize").length).toBe(authorizeBefore);
    expect(exchanges()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
