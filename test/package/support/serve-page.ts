/**
 * Serves a built page on loopback and opens it in Chromium, recording every script the page fetched and when it
 * first reached the registry: what a user's browser downloads, not what a bundler's report says.
 * @module
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../browser/support/chromium";

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

/** What the page showed and fetched. */
export interface PageVisit {
  /** The text of `#output` once the page finished. */
  output: string;
  /** Scripts fetched before the page's first request to the registry, as paths of the build folder. */
  scriptsBeforeRegistry: string[];
  /** Every script fetched, as paths of the build folder. */
  scripts: string[];
}

/**
 * Opens `page` (a path of `directory`) with `?registry=` set, waits for `#output` to leave "loading…", and closes
 * everything. `html` serves a page the bundler did not write (webpack writes scripts only).
 */
export async function visitPage(directory: string, page: string, registry: string, html?: string): Promise<PageVisit> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)).replace(
      /^(\.\.[/\\])+/,
      "",
    );
    const body =
      html !== undefined && path === `/${page}` ? Promise.resolve(Buffer.from(html)) : readFile(join(directory, path));
    body.then(
      (contents) =>
        response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(contents),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
  try {
    const tab = await browser.newPage();
    const scripts: string[] = [];
    let scriptsBeforeRegistry: string[] | undefined;
    tab.on("request", (request) => {
      const url = new URL(request.url());
      if (url.origin === origin && url.pathname.endsWith(".js")) scripts.push(url.pathname.slice(1));
      else if (url.origin === registry) scriptsBeforeRegistry ??= [...scripts];
    });
    await tab.goto(`${origin}/${page}?registry=${encodeURIComponent(registry)}`);
    await tab.waitForFunction(() => document.querySelector("#output")?.textContent !== "loading…", undefined, {
      timeout: 30_000,
    });
    const output = (await tab.textContent("#output")) ?? "";
    return { output, scripts, scriptsBeforeRegistry: scriptsBeforeRegistry ?? [] };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
