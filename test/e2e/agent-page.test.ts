import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

describe('helpers and visitors, each in their own browser', () => {
  let browser: Browser;
  let h: Harness;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    await h.addHelper('Sam', 'sam-password');
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await h?.stop();
  });

  async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(
    name: string,
    password: string,
    viewport?: { width: number; height: number },
  ) {
    const page = await newPage(viewport);
    await signInOnAgentPage(page, h.url, name, password);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    return page;
  }

  async function visitorAsks(page: Page, text: string) {
    await page.goto(`${h.url}/checkout.html`);
    const dialog = await askForHelp(page, text);
    await dialog.getByText('Delivered').waitFor();
    return dialog;
  }

  /** With no helper available, the visitor leaves a message (and can still read out a code). */
  async function visitorLeavesMessage(page: Page, text: string) {
    await page.goto(`${h.url}/checkout.html`);
    await page.getByRole('button', { name: 'Help' }).click();
    const dialog = page.getByRole('dialog', { name: 'Help' });
    await dialog.getByRole('textbox', { name: 'Your message' }).fill(text);
    await dialog.getByRole('button', { name: 'Leave a message' }).click();
    await dialog.getByText('Delivered').waitFor();
    return dialog;
  }

  it('works by keyboard alone: sign in, accept with a held Enter (one chat only), reply, follow, end', async () => {
    const alex = await newPage();
    /** What has the focus, through shadow roots: its role-ish description. */
    const focused = () =>
      alex.evaluate(() => {
        let active: Element | null = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return {
          tag: active?.localName ?? '',
          id: active?.id ?? '',
          label: active?.getAttribute('aria-label') ?? active?.textContent?.trim() ?? '',
        };
      });
    // From the first load on: asking "am I signed in?" logs no 401, nothing else fails.
    const errors = collectErrors(alex);
    await alex.goto(`${h.url}/agent/`);
    await alex.getByRole('textbox', { name: 'Name' }).waitFor();
    await alex.keyboard.press('Tab');
    await expect.poll(async () => (await focused()).tag).toBe('input');
    await alex.keyboard.type('Alex');
    await alex.keyboard.press('Tab');
    await alex.keyboard.type('alex-password');
    await alex.keyboard.press('Enter');
    // Signed in: the focus is on the queue, not lost to the page.
    await expect.poll(async () => (await focused()).id).toBe('queue-title');

    // Two visitors wait: Kim is available but full, Alex away, so they stay in the queue.
    await h.addHelper('Kim', 'kim-password');
    const kim = await h.agent('Kim', 'kim-password');
    await kim.emitWithAck('helper:availability', { availability: 'available', capacity: 1 });
    await h.requestHelp();
    const first = await newPage({ width: 1000, height: 760 });
    const dialog = await visitorAsks(first, 'My order is stuck');
    await h.requestHelp();
    const accepts = alex.getByRole('button', {
      name: /^Accept Visitor \d{4}, on \/checkout\.html, waiting /,
    });
    await accepts.first().waitFor();
    await expect.poll(() => alex.getByRole('button', { name: /^Accept / }).count()).toBe(2);
    for (let i = 0; i < 30 && !(await focused()).label.startsWith('Accept'); i++) {
      await alex.keyboard.press('Tab');
    }
    expect((await focused()).label).toMatch(
      /^Accept Visitor \d{4}, on \/checkout\.html, waiting \d+ s$/,
    );
    // Held down: the key repeats. Only the first press accepts.
    await alex.keyboard.down('Enter');
    await alex.keyboard.down('Enter');
    await alex.keyboard.down('Enter');
    await alex.keyboard.up('Enter');
    await dialog.getByText('Alex is here to help.').waitFor();
    await expect.poll(async () => (await focused()).tag).toBe('textarea');
    await expect.poll(() => alex.getByRole('button', { name: /^Accept / }).count()).toBe(1);

    // The reply goes from where the focus already is.
    await alex.keyboard.type('Let me check that for you.');
    await alex.keyboard.press('Enter');
    await dialog.getByText('Let me check that for you.').waitFor();

    // Follow the page, then end the chat, all by keyboard.
    const tabTo = async (label: string) => {
      for (let i = 0; i < 60 && (await focused()).label !== label; i++) {
        await alex.keyboard.press('Tab');
      }
      expect((await focused()).label).toBe(label);
      await alex.keyboard.press('Enter');
    };
    await tabTo('Follow page');
    await alex
      .getByText(/Following the visitor/)
      .first()
      .waitFor();
    await tabTo('End conversation');
    await tabTo('End chat');
    await dialog.getByText(/ended/i).first().waitFor();
    expect(errors).toEqual([]);
  });

  it('a helper accepts a request, chats, and ends it; the other helper sees it leave the queue', async () => {
    const alex = await signIn('Alex', 'alex-password');
    const sam = await signIn('Sam', 'sam-password');
    const alexErrors = collectErrors(alex);
    // Kim is available for one chat at a time, and busy with someone else.
    await h.addHelper('Kim', 'kim-password');
    const kim = await h.agent('Kim', 'kim-password');
    await kim.emitWithAck('helper:availability', { availability: 'available', capacity: 1 });
    await h.requestHelp();
    const visitor = await newPage({ width: 1000, height: 760 });
    const dialog = await visitorAsks(visitor, 'My order is stuck');

    // Kim is full and the others are away: the request waits in the queue, with who and where
    // the visitor is.
    for (const helper of [alex, sam]) {
      const queue = helper.getByRole('region', { name: /Queue/ });
      await queue.getByText('Checkout — Acme Outdoor').waitFor();
      await queue.getByText(/Chrome(?: Headless)? \d+ · Linux · desktop/).waitFor();
      await queue.getByText('My order is stuck').waitFor();
    }
    await alex.getByRole('button', { name: 'Accept' }).click();
    await sam.getByText('No one is waiting.').waitFor();
    await alex.getByRole('heading', { name: 'Chat with Visitor' }).waitFor();
    await alex.getByRole('log', { name: 'Messages' }).getByText('My order is stuck').waitFor();
    await dialog.getByText('Alex is here to help.').waitFor();

    const reply = alex.getByRole('textbox', { name: 'Message' });
    await reply.fill('Let me check that for you.');
    await reply.press('Enter');
    await dialog.getByText('Let me check that for you.').waitFor();
    await alex.getByRole('log', { name: 'Messages' }).getByText('Read').waitFor();

    // The visitor reloads: both sides still have the whole conversation.
    await visitor.reload();
    await dialog.getByText('Let me check that for you.').waitFor();
    await alex.reload();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex.getByRole('log', { name: 'Messages' }).getByText('My order is stuck').waitFor();
    await alex
      .getByRole('log', { name: 'Messages' })
      .getByText('Let me check that for you.')
      .waitFor();
    await alex.getByText('Visitor details').waitFor();
    await alex.getByText('Now on').waitFor();

    await alex.screenshot({ path: screenshotPath('agent-page.png') });
    await visitor.screenshot({ path: screenshotPath('visitor-widget.png') });

    await alex.getByRole('button', { name: 'End conversation' }).click();
    await alex.getByRole('button', { name: 'End chat', exact: true }).click();
    await dialog.getByText('Alex ended this chat.').waitFor();
    await alex.getByText('This conversation has ended.').waitFor();
    await alex.getByRole('button', { name: 'History' }).click();
    await alex.getByRole('link', { name: 'Download transcript' }).waitFor();
    expect(alexErrors).toEqual([]);
  });

  it('an available helper is given the request at once and the tab title counts it', async () => {
    const alex = await signIn('Alex', 'alex-password');
    await alex.getByRole('switch', { name: 'Available' }).click();
    await expect
      .poll(() => alex.getByRole('switch', { name: 'Available' }).getAttribute('aria-checked'))
      .toBe('true');
    const visitor = await newPage();
    const dialog = await visitorAsks(visitor, 'Is the tent waterproof?');
    await dialog.getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).waitFor();
    await expect.poll(() => alex.title()).toBe('(1) Helpers — help-widget');
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex
      .getByRole('log', { name: 'Messages' })
      .getByText('Is the tent waterproof?')
      .waitFor();
    await expect.poll(() => alex.title()).toBe('Helpers — help-widget');
  });

  it('after a network drop the helper catches up without losing or duplicating a message', async () => {
    const alex = await signIn('Alex', 'alex-password');
    await alex.getByRole('switch', { name: 'Available' }).click();
    const visitor = await newPage();
    const dialog = await visitorAsks(visitor, 'First question');
    await dialog.getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    const log = alex.getByRole('log', { name: 'Messages' });
    await log.getByText('First question').waitFor();

    const helperContext = alex.context();
    await helperContext.setOffline(true);
    await alex
      .getByRole('status')
      .filter({ hasText: /Offline/ })
      .waitFor();
    const reply = alex.getByRole('textbox', { name: 'Message' });
    await reply.fill('Typed while offline');
    await reply.press('Enter');
    await log.getByText('Sending…').waitFor();
    const box = dialog.getByRole('textbox', { name: 'Message' });
    await box.fill('Asked while the helper was away');
    await box.press('Enter');
    await dialog.getByText('Asked while the helper was away').waitFor();
    await expect.poll(() => dialog.getByText('Sending…').count()).toBe(0);

    await helperContext.setOffline(false);
    await alex.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await log.getByText('Asked while the helper was away').waitFor();
    await dialog.getByText('Typed while offline').waitFor();
    await expect.poll(() => log.getByText('Sending…').count()).toBe(0);
    const stored = await h.store.listMessages((await h.store.listOpenConversations())[0]?.id ?? '');
    // The visitor's question was stored while the helper was offline; the reply on reconnect.
    expect(stored.map((m) => m.text)).toEqual([
      'First question',
      'Asked while the helper was away',
      'Typed while offline',
    ]);
    // The store keeps one copy per id however often it is sent, so duplicates are looked for
    // where a person would see them, once a later message each way (the marker) has arrived.
    await box.fill('One more thing');
    await box.press('Enter');
    await log.getByText('One more thing').waitFor();
    await reply.fill('Anything else?');
    await reply.press('Enter');
    await dialog.getByText('Anything else?').waitFor();
    for (const text of [
      'First question',
      'Asked while the helper was away',
      'Typed while offline',
    ]) {
      await expect(log.getByText(text).count()).resolves.toBe(1);
      await expect(dialog.getByText(text).count()).resolves.toBe(1);
    }
  });

  it('a helper who is away joins by the code the visitor reads out', async () => {
    const alex = await signIn('Alex', 'alex-password', { width: 360, height: 740 });
    const visitor = await newPage();
    const dialog = await visitorLeavesMessage(visitor, 'I am on the phone with you');
    const codeText = (await dialog.getByText(/^Your help code: /).textContent()) ?? '';
    const code = codeText.replace('Your help code: ', '');

    await alex
      .getByRole('textbox', { name: 'Join code' })
      .fill('000 000 000' === code ? '000 000 001' : '000 000 000');
    await alex.getByRole('button', { name: 'Join' }).click();
    await alex.getByText('No open conversation has that code').waitFor();
    await alex.getByRole('textbox', { name: 'Join code' }).fill(code);
    await alex.getByRole('button', { name: 'Join' }).click();
    await alex.getByRole('heading', { name: 'Chat with Visitor' }).waitFor();
    await alex
      .getByRole('log', { name: 'Messages' })
      .getByText('I am on the phone with you')
      .waitFor();
    await dialog.getByText('Alex is here to help.').waitFor();
    // Still usable on a phone-sized screen: nothing wider than the window.
    const overflow = await alex.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await alex.screenshot({ path: screenshotPath('agent-page-phone.png'), fullPage: true });
  });
});
