import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';

describe("follow mode: the helper follows the visitor's page", () => {
  let browser: Browser;
  let h: Harness;
  let contexts: BrowserContext[] = [];
  let alex: Page;
  let visitor: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    alex = await newPage({ width: 1400, height: 1000 });
    await alex.goto(`${h.url}/agent/`);
    await alex.getByRole('textbox', { name: 'Name' }).fill('Alex');
    await alex.getByLabel('Password').fill('alex-password');
    await alex.getByRole('button', { name: 'Sign in' }).click();
    await alex.getByRole('switch', { name: 'Available' }).click();
    await expect
      .poll(() => alex.getByRole('switch', { name: 'Available' }).getAttribute('aria-checked'))
      .toBe('true');
    // The visitor's window is a different size from the helper's pane.
    visitor = await newPage({ width: 560, height: 650 });
    await visitor.goto(`${h.url}/guide.html`);
    await visitor.getByRole('button', { name: 'Help' }).click();
    await dialog().getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
  });
  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
    await h?.stop();
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }
  const dialog = () => visitor.getByRole('dialog', { name: 'Help' });
  const pane = () =>
    alex.getByRole('region', { name: "Visitor's page" }).or(alex.locator('help-follow-pane'));

  /** The helper's copy of the page, once it has joined. */
  async function follow(): Promise<Frame> {
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();
    const frame = alex.frames().find((f) => f !== alex.mainFrame());
    if (!frame) throw new Error('no follow frame');
    return frame;
  }

  const copyFrame = () => {
    const frame = alex.frames().find((f) => f !== alex.mainFrame());
    if (!frame) throw new Error('no follow frame');
    return frame;
  };
  const topOf = (frame: Frame | Page, selector: string) =>
    frame.evaluate(
      // + 0 turns -0 into 0.
      (s) => Math.round(document.querySelector(s)?.getBoundingClientRect().top ?? NaN) + 0,
      selector,
    );

  it('shows the same page, and the same heading at the top after the visitor scrolls', async () => {
    const errors = collectErrors(visitor);
    await follow();
    await dialog().getByText('Alex is following your page.').waitFor();
    expect(new URL(copyFrame().url()).pathname).toBe('/guide.html');

    await visitor.evaluate(() =>
      document.getElementById('warranty')?.scrollIntoView({ block: 'start' }),
    );
    expect(await topOf(visitor, '#warranty')).toBe(0);
    await expect.poll(() => topOf(copyFrame(), '#warranty')).toBe(0);
    // The two windows differ in size, so the same place is not the same pixel offset.
    const offsets = await Promise.all([visitor, copyFrame()].map((f) => f.evaluate(() => scrollY)));
    expect(offsets[0]).not.toBe(offsets[1]);

    // An inner scroller follows too.
    await visitor.evaluate(() => {
      const list = document.getElementById('faq-list');
      const item = list?.querySelectorAll('li')[12];
      if (list && item) list.scrollTop = item.offsetTop - list.offsetTop;
    });
    const itemTop = (frame: Frame | Page) =>
      frame.evaluate(() => {
        const list = document.getElementById('faq-list');
        const item = list?.querySelectorAll('li')[12];
        return Math.round(
          (item?.getBoundingClientRect().top ?? 0) - (list?.getBoundingClientRect().top ?? 0),
        );
      });
    const visitorItemTop = await itemTop(visitor);
    await expect.poll(() => itemTop(copyFrame())).toBe(visitorItemTop);
    expect(errors).toEqual([]);
  });

  it('goes where the visitor goes: full page loads and single-page-app routes', async () => {
    await follow();
    await visitor
      .getByRole('navigation', { name: 'Demo site' })
      .getByRole('link', { name: 'Orders (app)' })
      .click();
    await expect.poll(() => new URL(copyFrame().url()).pathname).toBe('/spa.html');
    await visitor.getByRole('link', { name: 'Order 1042' }).click();
    await visitor.getByText('Order 1042: on its way.').waitFor();
    await expect.poll(() => copyFrame().url()).toBe(`${h.url}/spa.html?order=1042`);
    await visitor.goBack();
    await expect.poll(() => copyFrame().url()).toBe(`${h.url}/spa.html`);
  });

  it('a helper who reloads gets the current page and scroll at once, without a new event', async () => {
    await follow();
    await visitor.evaluate(() =>
      document.getElementById('care')?.scrollIntoView({ block: 'start' }),
    );
    await expect.poll(() => topOf(copyFrame(), '#care')).toBe(0);
    await alex.reload();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await follow();
    await expect.poll(() => topOf(copyFrame(), '#care')).toBe(0);
  });

  it('"Stop sharing" ends it at once for the helper, and nothing more is sent', async () => {
    await follow();
    await dialog().getByRole('button', { name: 'Stop sharing' }).click();
    await alex.getByText('The visitor stopped sharing their page.').waitFor();
    await dialog().getByText('Alex is following your page.').waitFor({ state: 'detached' });
    const conversationId = (await h.store.listConversations(['assigned']))[0]?.id ?? '';
    await visitor.evaluate(() =>
      document.getElementById('repairs')?.scrollIntoView({ block: 'start' }),
    );
    expect(await h.store.getCobrowseState(conversationId)).toEqual([]);
  });

  it("answers only its own frame on the visitor site's origin, never a forged hello", async () => {
    await follow();
    // Another origin (same server, other host name) in a frame of the agent page says hello.
    const foreign = h.url.replace('127.0.0.1', 'localhost');
    await alex.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      frame.id = 'forger';
      document.body.append(frame);
    }, `${foreign}/favicon.svg`);
    await expect.poll(() => alex.frames().some((f) => f.url().startsWith(foreign))).toBe(true);
    const forger = alex.frames().find((f) => f.url().startsWith(foreign));
    const received = await forger?.evaluate(
      () =>
        new Promise<unknown[]>((resolve) => {
          const got: unknown[] = [];
          addEventListener('message', (e) => got.push(e.data));
          parent.postMessage({ source: 'help-widget', type: 'follow:hello' }, '*');
          setTimeout(() => resolve(got), 1500);
        }),
    );
    expect(received).toEqual([]);
    expect(pane()).toBeTruthy();
  });
});
