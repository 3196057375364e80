import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium, recordSent, sentEvents } from '../support/browser.ts';
import { pageAxeViolations } from '../support/page-axe.ts';
import {
  type AgentClient,
  type Harness,
  newId,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

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

  async function startChat(path = '/checkout.html') {
    await page.goto(`${h.url}${path}`);
    await askForHelp(page, 'Hello');
    await dialog().getByText('Alex is here to help.').waitFor();
    const assigned = await waitFor(helper, 'conversation:updated', (c) => c.status === 'assigned');
    return assigned.id;
  }

  it('asks for help with the page and browser, gets the answer, and keeps it across reloads and pages', async () => {
    const conversationId = await startChat();
    const stored = await h.store.getConversation(conversationId);
    expect(stored?.details).toMatchObject({
      pageUrl: `${h.url}/checkout.html`,
      pageTitle: 'Checkout — Acme Outdoor',
      agent: { browser: { name: expect.stringMatching(/Chrom/) }, os: { name: 'Linux' } },
    });
    await expect(
      dialog()
        .getByText(/^Your help code: \d{3} \d{3} \d{3}$/)
        .textContent(),
    ).resolves.toContain(stored?.joinCode.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3') ?? 'none');

    await dialog().getByRole('textbox', { name: 'Message' }).fill('My order is stuck');
    await dialog().getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => log().getByText('Delivered').count()).toBe(2);
    await helper.emitWithAck('chat:send', {
      conversationId,
      id: newId(),
      text: 'Let me check that for you.',
    });
    await log().getByText('Let me check that for you.').waitFor();

    await page.reload();
    await log().getByText('Let me check that for you.').waitFor();
    await expect(log().getByText('My order is stuck').count()).resolves.toBe(1);
    await page.goto(`${h.url}/`);
    await log().getByText('Let me check that for you.').waitFor();
    await dialog().getByText('Alex is here to help.').waitFor();

    // Closed on one page, closed on the next; a new message is counted on the button.
    await dialog().getByRole('button', { name: 'Close' }).click();
    await page.goto(`${h.url}/checkout.html`);
    await page.getByRole('button', { name: 'Help' }).waitFor();
    await helper.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Found it.' });
    await page.getByText('1 new message from your helper').waitFor({ state: 'attached' });
    // Checked after the count arrived: the widget has restored the chat, and kept it closed.
    await expect(dialog().count()).resolves.toBe(0);
    expect(await h.store.listOpenConversations()).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('works by keyboard alone: ask, read the answer, end, rate; the page keeps one banner and no axe findings', async () => {
    await page.goto(`${h.url}/checkout.html`);
    // The widget draws its button once its script has loaded: on a busy machine, after the
    // page itself. A keyboard user tabs to what is there.
    await page.getByRole('button', { name: 'Help' }).waitFor();
    // Tab until the help button has focus, as a keyboard user would.
    let label = '';
    for (let i = 0; i < 40 && label !== 'Help'; i++) {
      await page.keyboard.press('Tab');
      label = await page.evaluate(
        () => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? '',
      );
    }
    expect(label).toBe('Help');
    await page.keyboard.press('Enter');
    // The dialog's code loads when it first opens; focus moves to the message box once it is
    // there, and a keyboard user types when they see it.
    const box = dialog().getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    await expect.poll(() => box.evaluate((element) => element.matches(':focus'))).toBe(true);
    await page.keyboard.type('Where is my order?');
    expect(await box.inputValue()).toBe('Where is my order?');
    await page.keyboard.press('Enter');
    await dialog().getByText('Alex is here to help.').waitFor();
    const { id: conversationId } = await waitFor(
      helper,
      'conversation:updated',
      (c) => c.status === 'assigned',
    );
    await helper.emitWithAck('chat:send', { conversationId, id: newId(), text: 'On its way.' });
    await log().getByText('On its way.').waitFor();
    // Every finding, moderate ones included: the widget adds no second banner landmark.
    expect(await pageAxeViolations(page)).toEqual([]);

    // From the message box: Tab to "End chat", confirm with Enter (focus is on "Yes").
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog().getByRole('button', { name: 'Yes, end chat' }).waitFor();
    await page.keyboard.press('Enter');
    await dialog().getByText('You ended this chat.').waitFor();
    // Focus is on the first rating button: Enter picks it, Tab on to the comment, then send.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Fast answer');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog().getByText('Thank you for your rating.').waitFor();
    expect((await h.store.getConversation(conversationId))?.rating).toMatchObject({
      value: 'up',
      comment: 'Fast answer',
    });
    expect(await pageAxeViolations(page)).toEqual([]);
    // The transcript is a real download.
    const download = page.waitForEvent('download');
    await dialog().getByRole('button', { name: 'Download transcript' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^help-chat-\d{4}-\d{2}-\d{2}\.txt$/);
    expect(errors).toEqual([]);
  });

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
