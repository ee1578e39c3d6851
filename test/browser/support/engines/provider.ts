/**
 * Vitest browser-mode providers for the engines Playwright cannot drive here: Firefox ESR (puppeteer-core over
 * WebDriver BiDi) and WebKitGTK (WebKitWebDriver). Vitest's page talks to the test runner over its own WebSocket,
 * so a provider only has to open that page; the suites use no provider commands (no userEvent, no mocking).
 * @module
 */
import { defineBrowserProvider } from "@vitest/browser";
import type { Browser, Page } from "puppeteer-core";
import type { BrowserProvider } from "vitest/node";
import { launchFirefox } from "./firefox-esr";
import { WebKitSession } from "./webkitgtk";

class FirefoxProvider implements BrowserProvider {
  readonly name = "firefox-esr";
  readonly supportsParallelism = false;
  private browser: Promise<Browser> | undefined;
  private readonly pages = new Map<string, Page>();

  getCommandsContext(): Record<string, unknown> {
    return {};
  }

  async openPage(sessionId: string, url: string): Promise<void> {
    this.browser ??= launchFirefox();
    const browser = await this.browser;
    let page = this.pages.get(sessionId);
    if (!page) {
      page = await browser.newPage();
      this.pages.set(sessionId, page);
    }
    await page.goto(url, { waitUntil: "domcontentloaded" });
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    await (await browser)?.close();
  }
}

class WebKitProvider implements BrowserProvider {
  readonly name = "webkitgtk";
  readonly supportsParallelism = false;
  private session: Promise<WebKitSession> | undefined;

  getCommandsContext(): Record<string, unknown> {
    return {};
  }

  async openPage(_sessionId: string, url: string): Promise<void> {
    this.session ??= WebKitSession.start();
    await (await this.session).navigate(url);
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await (await session)?.close();
  }
}

/** Firefox ESR from Debian, headless. */
export const firefoxEsr = defineBrowserProvider({
  name: "firefox-esr",
  supportedBrowser: ["firefox"],
  options: {},
  providerFactory: () => new FirefoxProvider(),
});

/** WebKitGTK's MiniBrowser from Debian, on a virtual display. */
export const webkitGtk = defineBrowserProvider({
  name: "webkitgtk",
  supportedBrowser: ["webkit"],
  options: {},
  providerFactory: () => new WebKitProvider(),
});
