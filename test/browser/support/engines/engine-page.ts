/**
 * One page in any of the three engines, driven the same way: open a URL, run an async function body in the page.
 * The end-to-end tests that must run everywhere act through the page's own DOM (test/browser/support/page-actions.js)
 * rather than through one driver's locators, so that Playwright, puppeteer-core and WebDriver need only these two
 * verbs.
 * @module
 */
import { readFileSync } from "node:fs";
import { chromium } from "playwright";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../chromium";
import { launchFirefox } from "./firefox-esr";
import { WebKitSession } from "./webkitgtk";

/** The engines CI runs. */
export type Engine = "chromium" | "firefox" | "webkit";
export const ENGINES: readonly Engine[] = ["chromium", "firefox", "webkit"];

/** A page of one engine. */
export interface EnginePage {
  /** Opens `url`, waits for it to load and installs the page actions (`__e2e`). */
  goto(url: string): Promise<void>;
  /** Runs `body`, an async function body, in the page; answers what it returns (JSON values only). */
  run<T>(body: string): Promise<T>;
  /** The engine's version, for the record. */
  version: string;
  close(): Promise<void>;
}

const ACTIONS = readFileSync(new URL("../page-actions.js", import.meta.url), "utf8");

/** Opens a page in `engine`. */
export async function openEnginePage(engine: Engine): Promise<EnginePage> {
  let run: <T>(body: string) => Promise<T>;
  let navigate: (url: string) => Promise<void>;
  let close: () => Promise<void>;
  let version: string;
  if (engine === "webkit") {
    const session = await WebKitSession.start();
    run = (body) => session.execute(body);
    navigate = (url) => session.navigate(url);
    close = () => session.close();
    version = `WebKitGTK ${session.version}`;
  } else {
    // Playwright's and puppeteer's pages differ in type, not in the three calls made here.
    const browser: { newPage(): Promise<unknown>; close(): Promise<void>; version(): string | Promise<string> } =
      engine === "chromium"
        ? await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true })
        : await launchFirefox();
    const page = (await browser.newPage()) as {
      evaluate(expression: string): Promise<unknown>;
      goto(url: string): Promise<unknown>;
    };
    run = (body) => page.evaluate(`(async () => { ${body} })()`) as never;
    navigate = async (url) => void (await page.goto(url));
    close = () => browser.close();
    version = await browser.version();
  }
  return {
    version,
    run,
    close,
    async goto(url) {
      // A mark on the page being left: WebDriver's navigation returns before the new page is there.
      await run("window.__leaving = true").catch(() => undefined);
      await navigate(url);
      const loaded = () =>
        run<boolean>('return !window.__leaving && document.readyState === "complete"').catch(() => false);
      for (const deadline = Date.now() + 30_000; !(await loaded());) {
        if (Date.now() > deadline) throw new Error(`${url} did not load in ${engine}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await run(ACTIONS);
    },
  };
}
