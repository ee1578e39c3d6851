import { playwright } from "@vitest/browser-playwright";
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import type { BrowserProviderOption } from "vitest/node";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./test/browser/support/chromium";
import { firefoxEsr, webkitGtk } from "./test/browser/support/engines/provider";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          // The fault suites, 256 MiB cases included, run once in `npm run test:faults` (vitest.faults.config.ts).
          exclude: [...configDefaults.exclude, "test/node/faults/**"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The library itself in Chromium, Firefox ESR and WebKitGTK, against servers that test/browser/global-setup.ts
      // starts on the Node side (once per engine).
      browserProject(
        "browser",
        "chromium",
        playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] } }),
      ),
      browserProject("browser-firefox", "firefox", firefoxEsr),
      browserProject("browser-webkit", "webkit", webkitGtk),
      {
        // Node-driven Playwright tests of the example apps (test/browser/*.test.ts without .browser).
        test: {
          name: "e2e",
          include: ["test/browser/**/*.test.ts"],
          exclude: ["test/browser/**/*.browser.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

/** The browser suites (every *.browser.test.ts under test/browser) in one engine. */
function browserProject(
  name: string,
  browser: "chromium" | "firefox" | "webkit",
  provider: BrowserProviderOption,
): TestProjectInlineConfiguration {
  return {
    test: {
      // Unique per engine (vitest requires it); the instance adds the engine: "browser-firefox (firefox)".
      name,
      include: ["test/browser/**/*.browser.test.ts"],
      globalSetup: ["test/browser/global-setup.ts"],
      testTimeout: 120_000,
      hookTimeout: 60_000,
      browser: { enabled: true, headless: true, screenshotFailures: false, provider, instances: [{ browser }] },
    },
  };
}
