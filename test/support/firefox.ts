/**
 * Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi (Playwright's own Firefox
 * build cannot be downloaded here, and its BiDi channel fails on ESR).
 */
import { accessSync, constants } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Whether there is a Firefox to run. */
export function firefoxInstalled(): boolean {
  try {
    accessSync(firefoxPath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Launches Firefox headless; files a page saves go to `downloadDir`, without asking. */
export function launchFirefox(downloadDir: string): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    extraPrefsFirefox: {
      'browser.download.dir': downloadDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      // Nothing but our loopback servers: no updates, telemetry or captive-portal checks.
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
}
