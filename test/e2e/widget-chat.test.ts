import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium, recordSent, sentEvents } from '../support/browser.ts';
import {
  type AgentClient,
  type Harness,
  newId,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

// The chat itself and the keyboard-only flow run in every visitor browser:
// visitor-chat.test.ts. These need Chromium's network controls (offline, response headers).
describe('a visitor on the demo site chats with a helper', () => {
  let browser: Browser;
  let h: Harness;
  let helper: AgentClient;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    helper = await h.agent('Alex', 'alex-password');
    await helper.emitWithAck('helper:availability', { availability: 'available', capacity: 3 });
    context = await browser.newContext();
    page = await context.newPage();
    errors = collectErrors(page);
  });
  afterEach(async () => {
    await context?.close();
    await h?.stop();
  });

  const dialog = () => page.getByRole('dialog', { name: 'Help' });
  const log = () => dialog().getByRole('log', { name: 'Messages' });

  async function startChat() {
    await page.goto(`${h.url}/checkout.html`);
    await askForHelp(page, 'Hello');
    await dialog().getByText('Alex is here to help.').waitFor();
    const assigned = await waitFor(helper, 'conversation:updated', (c) => c.status === 'assigned');
    return assigned.id;
  }

  it('keeps messages typed offline and sends each exactly once when back online', async () => {
    const sent = recordSent(page);
    const conversationId = await startChat();
    await context.setOffline(true);
    await dialog().getByText("You're offline. Messages will be sent when you're back.").waitFor();
    const box = dialog().getByRole('textbox', { name: 'Message' });
    await box.fill('First, while offline');
    await box.press('Enter');
    await box.fill('Second, while offline');
    await box.press('Enter');
    await expect.poll(() => log().getByText('Sending…').count()).toBe(2);

    await context.setOffline(false);
    await expect.poll(() => log().getByText('Delivered').count(), { timeout: 15_000 }).toBe(3);
    const texts = (await h.store.listMessages(conversationId)).map((m) => m.text);
    expect(texts).toEqual(['Hello', 'First, while offline', 'Second, while offline']);
    // A reload sends nothing again: the outbox was emptied by the acks. The server would
    // ignore a resend (same id), so this is checked on what the browser sent, after a marker:
    // a message typed after the reload goes after anything the reload would have resent.
    await page.reload();
    await log().getByText('Second, while offline').waitFor();
    // Back online and caught up (the outbox is sent right then), before the next message.
    await dialog().getByText('Alex is here to help.').waitFor();
    await box.fill('Third, after the reload');
    await box.press('Enter');
    await expect
      .poll(async () => (await h.store.listMessages(conversationId)).map((m) => m.text))
      .toEqual([
        'Hello',
        'First, while offline',
        'Second, while offline',
        'Third, after the reload',
      ]);
    expect(sentEvents(sent, 'chat:send').map((m) => m.text)).toEqual([
      'First, while offline',
      'Second, while offline',
      'Third, after the reload',
    ]);
  });

  it('chats where crypto.randomUUID is missing (a site on plain http, Safari before 15.4)', async () => {
    await context.addInitScript(() => {
      Reflect.deleteProperty(Crypto.prototype, 'randomUUID');
    });
    const conversationId = await startChat();
    await dialog().getByRole('textbox', { name: 'Message' }).fill('Sent without randomUUID');
    await page.keyboard.press('Enter');
    await expect.poll(() => log().getByText('Delivered').count()).toBe(2);
    await helper.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Got it' });
    await log().getByText('Got it').waitFor();
    // The visitor's messages still carry random version-4 ids of their own.
    const ids = (await h.store.listMessages(conversationId))
      .filter((m) => m.from === 'visitor')
      .map((m) => m.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(2);
    expect(errors).toEqual([]);
  });

  it('works fully under a strict Content-Security-Policy', async () => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(`${h.url}/strict-csp.html`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await askForHelp(page, 'Hello');
    await dialog().getByText('Alex is here to help.').waitFor();
    const { id: conversationId } = await waitFor(
      helper,
      'conversation:updated',
      (c) => c.status === 'assigned',
    );
    await dialog().getByRole('textbox', { name: 'Message' }).fill('Hello under CSP');
    await page.keyboard.press('Enter');
    await expect.poll(() => log().getByText('Delivered').count()).toBe(2);
    await helper.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Hello back' });
    await log().getByText('Hello back').waitFor();
    // The widget is styled (adopted stylesheets are allowed): the button is round.
    const radius = await page
      .getByRole('button', { name: 'Help' })
      .evaluate((button) => getComputedStyle(button).borderRadius);
    expect(radius).toBe('50%');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
