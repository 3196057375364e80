/**
 * The agent page in Firefox ESR, for the helpers who work in it: sign in, accept a visitor from
 * the queue (focus goes to the reply), chat both ways, follow the visitor's page and see their
 * typing on the copy, end the chat. The visitor is in Chromium; every other agent-page test runs
 * in Chromium only. Firefox is driven by puppeteer-core over WebDriver BiDi (firefox.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { browserContexts } from '../support/browser-contexts.ts';
import { launchFirefox } from '../support/firefox.ts';
import { openFirefoxVisitor } from '../support/firefox-visitor.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import type { VisitorDriver } from '../support/visitor-driver.ts';
import { askForHelp } from '../support/visitor-page.ts';

describe('the agent page in Firefox', () => {
  const { newPage } = browserContexts();
  const runs = inject('firefox');
  let firefox: Browser | undefined;
  let downloadDir = '';
  let h: Harness | undefined;
  let alex: VisitorDriver | undefined;

  beforeAll(async () => {
    if (!runs) return;
    downloadDir = await mkdtemp(join(tmpdir(), 'help-firefox-agent-'));
    firefox = await launchFirefox(downloadDir);
  });
  beforeEach((context) => {
    // Said once for the run by firefox-setup.ts.
    if (!runs) context.skip();
  });
  afterEach(async () => {
    await alex?.close();
    await h?.stop();
  });
  afterAll(async () => {
    await firefox?.close();
    if (downloadDir) await rm(downloadDir, { recursive: true, force: true });
  });

  it('signs in, accepts from the queue, chats, follows the page and ends the chat', async () => {
    if (!firefox) throw new Error('no Firefox');
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    alex = await openFirefoxVisitor(firefox, {
      io: h.server.io,
      viewport: { width: 1400, height: 900 },
      downloadDir,
      look: 'app',
    });
    await alex.goto(`${h.url}/agent/`);
    await alex.fillField('Name', 'Alex');
    await alex.fillField('Password', 'alex-password');
    // Away (the first choice). Kim is available but full, so the visitor waits in the queue.
    await alex.clickButton('Sign in');
    await alex.waitForText('Signed in as Alex');
    await h.addHelper('Kim', 'kim-password');
    const kim = await h.agent('Kim', 'kim-password');
    await kim.emitWithAck('helper:availability', { availability: 'available', capacity: 1 });
    await h.requestHelp();

    const visitor = await newPage({ width: 900, height: 700 });
    const dialog = visitor.getByRole('dialog', { name: 'Help' });
    await visitor.goto(`${h.url}/checkout.html`);
    await askForHelp(visitor, 'My order is stuck');

    await alex.clickButton(/^Accept Visitor \d{4}, on \/checkout\.html/);
    await expect.poll(() => alex?.isFocused('Message')).toBe(true);
    await alex.type('Let me check that for you.');
    await alex.press('Enter');
    await dialog.getByText('Let me check that for you.').waitFor();
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Thanks, it is order 1042');
    await dialog.getByRole('textbox', { name: 'Message' }).press('Enter');
    await alex.waitForText('Thanks, it is order 1042');

    await alex.clickButton('Follow page');
    await alex.waitForText('Following the visitor.');
    await visitor.getByLabel('Full name').fill('Dana Example');
    // The copy, in its frame inside the agent page's shadow roots: the visitor's page and what
    // they typed.
    const copy = () =>
      alex?.evaluate(() => {
        const roots: (Document | ShadowRoot)[] = [document];
        for (let root = roots.pop(); root; root = roots.pop()) {
          const frame = root.querySelector('iframe');
          const page = frame?.contentDocument;
          if (page?.querySelector('h1')) {
            const name = page.querySelector<HTMLInputElement>('[name=fullName]');
            return `${page.querySelector('h1')?.textContent} | ${name?.value}`;
          }
          for (const element of root.querySelectorAll('*')) {
            if (element.shadowRoot) roots.push(element.shadowRoot);
          }
        }
        return 'no copy';
      }, undefined);
    await expect.poll(copy, { timeout: 15_000 }).toBe('Checkout | Dana Example');

    await alex.clickButton('End conversation');
    await alex.clickButton('End chat');
    await dialog.getByText('Alex ended this chat.').waitFor();
    await alex.waitForText('This conversation has ended.');
    expect(alex.errors).toEqual([]);
  });
});
