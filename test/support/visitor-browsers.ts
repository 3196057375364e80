/**
 * The browsers a visitor scenario runs in, and their lifecycle: call `visitorBrowser(name)`
 * inside a `describe` to launch that browser once for it and close every visitor a test opened
 * after the test. Where Firefox is missing (see firefox-setup.ts) its tests are skipped.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import type { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { launchChromium } from './browser.ts';
import { openChromiumVisitor } from './chromium-visitor.ts';
import { launchFirefox } from './firefox.ts';
import { openFirefoxVisitor } from './firefox-visitor.ts';
import type { Viewport, VisitorBrowserName, VisitorDriver } from './visitor-driver.ts';

/** Every browser the shared visitor scenarios run in: `describe.each(VISITOR_BROWSERS)`. */
export const VISITOR_BROWSERS: VisitorBrowserName[] = ['chromium', 'firefox'];

export interface VisitorOptions {
  /** The help server the visitor talks to (Firefox hears what the page sent there). */
  io: Server;
  /** Playwright's default when not given. */
  viewport?: Viewport;
}

/** One browser for the visitor scenarios of a describe block. */
export interface VisitorBrowser {
  readonly name: VisitorBrowserName;
  /** A visitor who has never been here (a fresh context), with one page. */
  newVisitor(options: VisitorOptions): Promise<VisitorDriver>;
}

export function visitorBrowser(name: VisitorBrowserName): VisitorBrowser {
  const runs = name === 'chromium' || inject('firefox');
  let chromium: ChromiumBrowser | undefined;
  let firefox: FirefoxBrowser | undefined;
  let downloadDir = '';
  let visitors: VisitorDriver[] = [];

  beforeAll(async () => {
    if (!runs) return;
    if (name === 'chromium') chromium = await launchChromium();
    else {
      downloadDir = await mkdtemp(join(tmpdir(), 'help-firefox-downloads-'));
      firefox = await launchFirefox(downloadDir);
    }
  });
  beforeEach((context) => {
    // Said once for the run by firefox-setup.ts.
    if (!runs) context.skip();
  });
  afterEach(async () => {
    for (const visitor of visitors) await visitor.close();
    visitors = [];
  });
  afterAll(async () => {
    await chromium?.close();
    await firefox?.close();
    if (downloadDir) await rm(downloadDir, { recursive: true, force: true });
  });

  return {
    name,
    async newVisitor({ io, viewport = { width: 1280, height: 720 } }) {
      const visitor = chromium
        ? await openChromiumVisitor(chromium, viewport)
        : firefox
          ? await openFirefoxVisitor(firefox, { io, viewport, downloadDir })
          : undefined;
      if (!visitor) throw new Error('visitorBrowser() must be called inside describe');
      visitors.push(visitor);
      return visitor;
    },
  };
}
