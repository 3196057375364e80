/**
 * The site can tell when help starts: `refresh-on-help` reloads the page once into its assisted
 * version, the `help_session` cookie is there while a conversation is open, and the
 * `help-session-start` / `help-session-end` events fire once each. `widget.refresh()` reloads
 * as the helper's button does. Real server, real Chromium.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HelpSessionEvent } from '../../widget/events.ts';
import { collectErrors } from '../support/browser.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import {
  type AgentClient,
  type Harness,
  newId,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';
import { type SiteFile, startThirdPartySite } from '../support/third-party-site.ts';
import { askForHelp } from '../support/visitor-page.ts';

/** What the page saw, kept in sessionStorage so it survives the reloads it counts. */
interface PageRecord {
  loads: number;
  events: { type: string; conversationId: string }[];
}

/** Runs before the page's own scripts on every load of this page: counts loads, notes events. */
function recordLoadsAndEvents(): void {
  const read = (): PageRecord =>
    JSON.parse(sessionStorage.getItem('test-record') ?? '{"loads":0,"events":[]}');
  const write = (record: PageRecord) =>
    sessionStorage.setItem('test-record', JSON.stringify(record));
  const record = read();
  write({ ...record, loads: record.loads + 1 });
  for (const type of ['help-session-start', 'help-session-end'] as const) {
    document.addEventListener(type, (event) => {
      const now = read();
      write({
        ...now,
        events: [
          ...now.events,
          { type, conversationId: (event as HelpSessionEvent).detail.conversationId },
        ],
      });
    });
  }
}

describe('the site can tell when help starts', () => {
  const people = browserContexts();
  let h: Harness;
  let helper: AgentClient;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    helper = await h.agent('Alex', 'alex-password');
    await helper.emitWithAck('helper:availability', { availability: 'available', capacity: 3 });
    context = await people.newContext();
    page = await context.newPage();
    errors = collectErrors(page);
    await page.addInitScript(recordLoadsAndEvents);
  });
  afterEach(() => h?.stop());

  const dialog = () => page.getByRole('dialog', { name: 'Help' });
  const log = () => dialog().getByRole('log', { name: 'Messages' });
  const box = () => dialog().getByRole('textbox', { name: 'Message' });
  const record = () =>
    page.evaluate(
      (): PageRecord =>
        JSON.parse(sessionStorage.getItem('test-record') ?? '{"loads":0,"events":[]}'),
    );
  const sessionCookie = async (url = h.url) =>
    (await context.cookies(url)).find((cookie) => cookie.name === 'help_session');

  /** A helper's message seen by the visitor: whatever the page did before it, it has done. */
  async function marker(conversationId: string, text: string) {
    await helper.emitWithAck('chat:send', { conversationId, id: newId(), text });
    await log().getByText(text).waitFor();
  }

  it('with refresh-on-help, the first message reloads the page once; the chat and the words being typed come back', async () => {
    await page.goto(`${h.url}/assisted.html`);
    // The help request is held, as a slow network would, while the visitor sends a second
    // message and starts a third: the reload must lose neither.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/help-requests', async (route) => {
      await held;
      await route.continue();
    });
    await askForHelp(page, 'Hello');
    await box().fill('Sent while asking');
    await box().press('Enter');
    await box().fill('Still typing this');
    const reloaded = page.waitForEvent('load');
    release();
    await reloaded;

    await dialog().getByText('Alex is here to help.').waitFor();
    await expect.poll(() => box().inputValue()).toBe('Still typing this');
    const { id: conversationId } = await waitFor(
      helper,
      'conversation:updated',
      (c) => c.status === 'assigned',
    );
    await log().getByText('Sent while asking').waitFor();
    await expect(log().getByText('Hello', { exact: true }).count()).resolves.toBe(1);
    await marker(conversationId, 'Welcome back');
    // The site's assisted version: the demo page shows it from the cookie.
    await expect(page.locator('#assisted').textContent()).resolves.toContain(conversationId);
    expect(await record()).toEqual({
      loads: 2,
      events: [{ type: 'help-session-start', conversationId }],
    });
    expect(await sessionCookie()).toMatchObject({
      value: conversationId,
      path: '/',
      sameSite: 'Lax',
      httpOnly: false,
    });

    // The words came back once: what the visitor types now is not put back by the next render.
    await box().fill('Still typing this, and more');
    await marker(conversationId, 'Take your time');
    expect(await box().inputValue()).toBe('Still typing this, and more');

    // Later page loads of the same conversation reload nothing and start nothing; what is
    // typed comes back on any of them.
    await page.reload();
    await marker(conversationId, 'Still here');
    expect(await box().inputValue()).toBe('Still typing this, and more');
    expect(await record()).toEqual({
      loads: 3,
      events: [{ type: 'help-session-start', conversationId }],
    });
    await box().press('Enter');
    await expect
      .poll(async () =>
        (await h.store.listMessages(conversationId))
          .filter((m) => m.from === 'visitor')
          .map((m) => m.text),
      )
      .toEqual(['Hello', 'Sent while asking', 'Still typing this, and more']);

    // The helper ends it: the cookie goes, and the site is told once.
    await helper.emitWithAck('conversation:end', { conversationId });
    await dialog().getByText('Alex ended this chat.').waitFor();
    await expect.poll(() => sessionCookie()).toBeUndefined();
    await expect(page.locator('#assisted').isHidden()).resolves.toBe(true);
    expect((await record()).events).toEqual([
      { type: 'help-session-start', conversationId },
      { type: 'help-session-end', conversationId },
    ]);
    expect(errors).toEqual([]);
  });

  it('without it, nothing reloads; the cookie and the events come and go with the conversation', async () => {
    // Left from a conversation the widget no longer has (storage cleared): it goes on load.
    await context.addCookies([{ name: 'help_session', value: 'stale', url: h.url }]);
    await page.goto(`${h.url}/checkout.html`);
    await page.getByRole('button', { name: 'Help' }).waitFor();
    await expect.poll(() => sessionCookie()).toBeUndefined();
    // Help asked deep in a single-page app: the cookie is still the whole site's.
    await page.evaluate(() => history.pushState(null, '', '/shop/orders/1041'));
    await askForHelp(page, 'Hello');
    await dialog().getByText('Alex is here to help.').waitFor();
    const { id: conversationId } = await waitFor(
      helper,
      'conversation:updated',
      (c) => c.status === 'assigned',
    );
    await marker(conversationId, 'Hi there');
    expect(await record()).toEqual({
      loads: 1,
      events: [{ type: 'help-session-start', conversationId }],
    });
    expect(await sessionCookie()).toMatchObject({ value: conversationId, path: '/' });
    // Said, not left to the browser's default (Playwright reports an unset SameSite as Lax).
    const cdp = await context.newCDPSession(page);
    const { cookies } = await cdp.send('Network.getCookies', { urls: [h.url] });
    expect(cookies.find((c) => c.name === 'help_session')?.sameSite).toBe('Lax');

    // The visitor ends it.
    await dialog().getByRole('button', { name: 'End chat' }).click();
    await dialog().getByRole('button', { name: 'Yes, end chat' }).click();
    await dialog().getByText('You ended this chat.').waitFor();
    await expect.poll(() => sessionCookie()).toBeUndefined();
    // A new chat is a new conversation: a new start, and a new cookie.
    await dialog().getByRole('button', { name: 'Start a new chat' }).click();
    await box().fill('Me again');
    await box().press('Enter');
    const again = await waitFor(
      helper,
      'conversation:updated',
      (c) => c.status === 'assigned' && c.id !== conversationId,
    );
    await marker(again.id, 'Hello again');
    expect(await record()).toEqual({
      loads: 1,
      events: [
        { type: 'help-session-start', conversationId },
        { type: 'help-session-end', conversationId },
        { type: 'help-session-start', conversationId: again.id },
      ],
    });
    expect(await sessionCookie()).toMatchObject({ value: again.id });
    expect(errors).toEqual([]);
  });

  it('widget.refresh() reloads once, and the chat and the words being typed come back', async () => {
    await page.goto(`${h.url}/checkout.html`);
    await askForHelp(page, 'Hello');
    await dialog().getByText('Alex is here to help.').waitFor();
    const { id: conversationId } = await waitFor(
      helper,
      'conversation:updated',
      (c) => c.status === 'assigned',
    );
    await box().fill('Half a thought');
    // The browser dropped the cookie (a restart ends session cookies; the chat is in storage):
    // the next page load of the conversation puts it back.
    await context.clearCookies({ name: 'help_session' });
    const reloaded = page.waitForEvent('load');
    await page.evaluate(() => document.querySelector('help-widget')?.refresh());
    await reloaded;
    await expect.poll(() => box().inputValue()).toBe('Half a thought');
    await marker(conversationId, 'After the refresh');
    expect(await record()).toEqual({
      loads: 2,
      events: [{ type: 'help-session-start', conversationId }],
    });
    expect(await sessionCookie()).toMatchObject({ value: conversationId });
    expect(errors).toEqual([]);
  });

  it("the site's own server sees the cookie on every path, from the reload on, until the end", async () => {
    const sitePage = (title: string) =>
      `<!doctype html><html lang="en"><title>${title}</title><link rel="icon" href="data:,"><main><h1>${title}</h1></main>` +
      `<script type="module" src="${h.url}/widget.js"></script><help-widget refresh-on-help></help-widget></html>`;
    // Read on every request: filled in once the help server's address is known.
    const files: Record<string, SiteFile> = {};
    const site = await startThirdPartySite(files);
    try {
      // A help server that lets this site embed it, in place of the one beforeEach started.
      await h.stop();
      h = await startHarness({ allowedOrigins: [site.origin] });
      await h.addHelper('Alex', 'alex-password');
      helper = await h.agent('Alex', 'alex-password');
      await helper.emitWithAck('helper:availability', { availability: 'available', capacity: 3 });
      files['/shop/returns/start.html'] = { type: 'text/html', body: sitePage('Returns') };
      files['/account.html'] = { type: 'text/html', body: sitePage('Account') };
      const cookieOn = (path: string) =>
        site.hits.filter((hit) => hit.path === path).map((hit) => hit.headers.cookie);

      await page.goto(`${site.origin}/shop/returns/start.html`);
      const reloaded = page.waitForEvent('load');
      await askForHelp(page, 'Hello');
      await reloaded;
      await dialog().getByText('Alex is here to help.').waitFor();
      const { id: conversationId } = await waitFor(
        helper,
        'conversation:updated',
        (c) => c.status === 'assigned',
      );
      expect(cookieOn('/shop/returns/start.html')).toEqual([
        undefined,
        `help_session=${conversationId}`,
      ]);
      // Elsewhere on the site (the cookie's path is the whole site, not the page's folder).
      await page.goto(`${site.origin}/account.html`);
      await marker(conversationId, 'Found your account');
      await helper.emitWithAck('conversation:end', { conversationId });
      await dialog().getByText('Alex ended this chat.').waitFor();
      await expect.poll(() => sessionCookie(site.origin)).toBeUndefined();
      await page.reload();
      await page.getByRole('button', { name: 'Help' }).waitFor();
      expect(cookieOn('/account.html')).toEqual([`help_session=${conversationId}`, undefined]);
      expect(errors).toEqual([]);
    } finally {
      await site.close();
    }
  });
});
