import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { collectErrors } from '../support/browser.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

describe('follow mode on a site that forbids framing: the separate window', () => {
  const { newContext } = browserContexts();
  let h: Harness;
  let alexContext: BrowserContext;
  let alex: Page;
  let visitor: Page;

  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    alexContext = await newContext({ width: 1400, height: 1000 });
    alex = await alexContext.newPage();
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    visitor = await (await newContext({ width: 560, height: 650 })).newPage();
    await visitor.goto(`${h.url}/no-frame.html`);
    await (await askForHelp(visitor)).getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
  });
  afterEach(async () => {
    await h?.stop();
  });
  const status = () => alex.locator('help-follow-pane').getByRole('status');
  const topOf = (page: Page, selector: string) =>
    page.evaluate(
      // + 0 turns -0 into 0.
      (s) => Math.round(document.querySelector(s)?.getBoundingClientRect().top ?? NaN) + 0,
      selector,
    );

  it('the frame is refused; "Open in new window" follows in a popup: scroll and navigation', async () => {
    const response = await alex.request.get(`${h.url}/no-frame.html`);
    expect(response.headers()['x-frame-options']).toBe('DENY');
    expect(response.headers()['content-security-policy']).toBe("frame-ancestors 'none'");

    await alex.getByRole('button', { name: 'Follow page' }).click();
    await status()
      .getByText('The page did not connect here', { exact: false })
      .waitFor({ timeout: 10_000 });
    await expect.poll(() => status().textContent()).toContain('Open in new window');

    const popupEvent = alexContext.waitForEvent('page');
    await alex.getByRole('button', { name: 'Open in new window' }).click();
    const popup = await popupEvent;
    const errors = collectErrors(popup);
    await popup.getByText("Following the visitor's page").waitFor();
    expect(new URL(popup.url()).pathname).toBe('/no-frame.html');
    await expect
      .poll(() => status().textContent())
      .toContain('Following the visitor in a separate window.');
    await alex.getByRole('button', { name: 'Close window' }).waitFor();
    // The refused frame is gone: the window is the one copy.
    expect(await alex.locator('help-follow-pane iframe').count()).toBe(0);

    await visitor.evaluate(() =>
      document.getElementById('danger-zone')?.scrollIntoView({ block: 'start' }),
    );
    expect(await topOf(visitor, '#danger-zone')).toBe(0);
    await expect.poll(() => topOf(popup, '#danger-zone')).toBe(0);

    await visitor
      .getByRole('navigation', { name: 'Demo site' })
      .getByRole('link', { name: 'Guide' })
      .click();
    // Playwright's own navigation wait: a change of page is more than a poll's one second
    // on a busy machine.
    await popup.waitForURL((url) => url.pathname === '/guide.html');
    // The copy on the new page said hello again and got a fresh grant.
    await popup.getByText("Following the visitor's page").waitFor();
    expect(errors).toEqual([]);
  });

  it('closing the window is reported, and it can be opened again', async () => {
    await alex.getByRole('button', { name: 'Follow page' }).click();
    const first = alexContext.waitForEvent('page');
    await alex.getByRole('button', { name: 'Open in new window' }).click();
    const popup = await first;
    await popup.getByText("Following the visitor's page").waitFor();

    await alex.getByRole('button', { name: 'Close window' }).click();
    await expect.poll(() => popup.isClosed()).toBe(true);
    await expect.poll(() => status().textContent()).toContain('The separate window was closed.');

    const second = alexContext.waitForEvent('page');
    await alex.getByRole('button', { name: 'Open in new window' }).click();
    const again = await second;
    await again.getByText("Following the visitor's page").waitFor();
    await expect
      .poll(() => status().textContent())
      .toContain('Following the visitor in a separate window.');

    // Closed from the window itself, not the pane: the pane notices as well.
    await again.close();
    await expect.poll(() => status().textContent()).toContain('The separate window was closed.');
  });

  it('a pop-up the browser blocks is reported in the status', async () => {
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.evaluate(() => {
      window.open = () => null;
    });
    await alex.getByRole('button', { name: 'Open in new window' }).click();
    await expect
      .poll(() => status().textContent())
      .toContain('The browser blocked the new window.');
  });
});
