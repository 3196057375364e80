/** One Chromium per describe block, and a fresh context per person in each test. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './browser.ts';

type Viewport = { width: number; height: number };

/** New contexts and pages in one Chromium (the helper's, in the visitor scenarios). */
export interface BrowserContexts {
  newContext(viewport?: Viewport): Promise<BrowserContext>;
  newPage(viewport?: Viewport): Promise<Page>;
}

/**
 * Call inside `describe`: launches Chromium once, and closes every context a test opened
 * after it, so each test starts with people who have never met.
 */
export function browserContexts(): BrowserContexts {
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
  });
  const newContext = async (viewport: Viewport = { width: 1400, height: 1000 }) => {
    if (!browser) throw new Error('browserContexts() must be called inside describe');
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context;
  };
  return {
    newContext,
    newPage: async (viewport) => (await newContext(viewport)).newPage(),
  };
}
