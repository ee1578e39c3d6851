/**
 * Firefox ESR from Debian, driven over WebDriver BiDi by puppeteer-core (Playwright's own Firefox channel refuses
 * ESR 153: it asks for a BiDi command ESR does not have).
 * @module
 */
import puppeteer, { type Browser } from "puppeteer-core";

/** The Firefox binary; FIREFOX_PATH overrides it. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

/** Preferences that keep Firefox off the network and let a test page use what a user's page would. */
const PREFS: Record<string, unknown> = {
  "network.proxy.type": 0,
  "app.update.enabled": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.enabled": false,
  // The download link's file lands in the profile's download directory without a dialog.
  "browser.download.useDownloadDir": true,
  "browser.download.always_ask_before_handling_new_types": false,
};

/** Starts a headless Firefox ESR. */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: PREFS,
  });
}
