import type { Frame, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followCopyFrame, signInOnAgentPage } from '../support/agent-page.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

// What the visitor's page leads (scroll, navigation, window size, fields, selection, control,
// the notice, pointing) runs in every visitor browser: visitor-follow.test.ts. These are about
// the helper's side, or need Chromium's control of tabs and page loads.
describe("follow mode: the helper follows the visitor's page", () => {
  const { newPage } = browserContexts();
  let h: Harness;
  let alex: Page;
  let visitor: Page;

  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    alex = await newPage({ width: 1400, height: 1000 });
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    // The visitor's window is a different size from the helper's pane.
    visitor = await newPage({ width: 560, height: 650 });
    await visitor.goto(`${h.url}/guide.html`);
    await askForHelp(visitor);
    await dialog().getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
  });
  afterEach(async () => {
    await h?.stop();
  });
  const dialog = () => visitor.getByRole('dialog', { name: 'Help' });

  /**
   * The helper's copy of the page: the agent page's frame on the visitor site's origin (a test
   * may add a frame of another origin beside it).
   */
  const copyFrame = () => followCopyFrame(alex, h.url);

  /**
   * Waits for the copy to reach `path` (path and query). Playwright's own navigation wait: a
   * change of page takes two page loads and a socket reconnect, more than a poll's one second
   * on a busy machine.
   */
  const copyReaches = (path: string) =>
    copyFrame().waitForURL((url) => url.pathname + url.search === path);

  /** The helper's copy of the page, once it has joined. */
  async function follow(): Promise<Frame> {
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();
    return copyFrame();
  }
  const topOf = (frame: Frame | Page, selector: string) =>
    frame.evaluate(
      // + 0 turns -0 into 0.
      (s) => Math.round(document.querySelector(s)?.getBoundingClientRect().top ?? NaN) + 0,
      selector,
    );

  it('a helper who reloads gets the current page and scroll at once, with nothing done by the visitor', async () => {
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

  it('follows the tab the visitor is using when the site is open in two', async () => {
    await follow();
    const second = await visitor.context().newPage();
    await second.goto(`${h.url}/checkout.html`);
    // The second tab has the same chat and leads too; it is the one in view.
    await copyReaches('/checkout.html');
    // Switch back: the browser hides the second tab and shows the first. (Headless Chromium
    // keeps every tab "visible", so the switch is played through the page's own events.)
    const setVisible = (page: Page, visible: boolean) =>
      page.evaluate((v) => {
        Object.defineProperty(document, 'visibilityState', {
          value: v ? 'visible' : 'hidden',
          configurable: true,
        });
        document.dispatchEvent(new Event('visibilitychange'));
      }, visible);
    await setVisible(second, false);
    await setVisible(visitor, true);
    await copyReaches('/guide.html');
  });

  it("refreshes the visitor's page on request; the chat stays open with what was being typed", async () => {
    await follow();
    const box = dialog().getByRole('textbox', { name: 'Message' });
    await box.fill('Half typed when the page went');
    const reloaded = visitor.waitForEvent('load');
    await alex.getByRole('button', { name: "Refresh visitor's page" }).click();
    await reloaded;
    await dialog().getByText('Alex is following your page.').waitFor();
    await expect.poll(() => box.inputValue()).toBe('Half typed when the page went');
  });

  it("answers only its own frame on the visitor site's origin, never a forged hello", async () => {
    await follow();
    // Another origin (same server, other host name) says hello from a window the agent page
    // opened: the agent page's CSP would not even let it be framed there.
    const foreign = h.url.replace('127.0.0.1', 'localhost');
    const opened = alex.context().waitForEvent('page');
    await alex.evaluate((src) => {
      (window as unknown as { forger: Window | null }).forger = window.open(src, 'forger');
    }, `${foreign}/favicon.svg`);
    const forger = await opened;
    await forger.waitForURL((url) => url.href.startsWith(foreign));
    // What the agent page hears from the forger's origin; the pane listened first, so once
    // this has heard the hello, the pane has dealt with it.
    const heardByAgent = await alex.evaluateHandle((origin) => {
      const heard: unknown[] = [];
      addEventListener('message', (e) => {
        if (e.origin === origin) heard.push(e.data);
      });
      return heard;
    }, foreign);
    const heardByForger = await forger.evaluateHandle(() => {
      const heard: unknown[] = [];
      addEventListener('message', (e) => heard.push(e.data));
      opener.postMessage({ source: 'help-widget', type: 'follow:hello' }, '*');
      return heard;
    });
    await expect.poll(() => heardByAgent.evaluate((heard) => heard.length)).toBe(1);

    // The pane's own frame says hello after it and is answered: a grant asked for the forger
    // would have been asked for, and sent, before this one.
    const answered = await copyFrame().evaluate(
      (origin) =>
        new Promise<boolean>((resolve) => {
          addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
            if (e.origin === origin && e.data?.type === 'follow:grant') resolve(true);
          });
          parent.postMessage({ source: 'help-widget', type: 'follow:hello' }, origin);
        }),
      h.url,
    );
    expect(answered).toBe(true);
    // The marker for the forger: the agent page's next message to it comes after any answer.
    await alex.evaluate((origin) => {
      (window as unknown as { forger: Window | null }).forger?.postMessage('marker', origin);
    }, foreign);
    await expect.poll(() => heardByForger.jsonValue()).toContain('marker');
    expect(await heardByForger.jsonValue()).toEqual(['marker']);

    // And the helper still follows: the visitor scrolls, the copy goes with them.
    await visitor.evaluate(() =>
      document.getElementById('warranty')?.scrollIntoView({ block: 'start' }),
    );
    await expect.poll(() => topOf(copyFrame(), '#warranty')).toBe(0);
  });
});
