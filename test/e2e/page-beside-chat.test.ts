/**
 * The visitor's page beside the chat: on a wide screen the copy takes most of the window, a
 * splitter (pointer or keyboard) shares the width and is remembered; on a narrow screen the
 * chat and the page are two tabs. Real server, real Chromium, a real visitor.
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followCopyFrame, signInOnAgentPage } from '../support/agent-page.ts';
import { collectErrors } from '../support/browser.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { pageAxeViolations } from '../support/page-axe.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

type Box = { x: number; y: number; width: number; height: number };

describe("the visitor's page beside the chat", () => {
  const { newPage } = browserContexts();
  let h: Harness;
  let visitor: Page;
  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
  });
  afterEach(async () => {
    await h?.stop();
  });

  /** Alex, signed in on a window of this size, chatting with a visitor on the guide page. */
  async function helperWith(viewport: { width: number; height: number }): Promise<Page> {
    const alex = await newPage(viewport);
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    visitor = await newPage({ width: 900, height: 700 });
    await visitor.goto(`${h.url}/guide.html`);
    await askForHelp(visitor);
    await visitor
      .getByRole('dialog', { name: 'Help' })
      .getByText('Alex is here to help.')
      .waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    return alex;
  }

  const box = async (page: Page, selector: string): Promise<Box> => {
    const found = await page.locator(selector).first().boundingBox();
    if (!found) throw new Error(`${selector} is not shown`);
    return found;
  };

  it('at 1440×900 the copy shows at least 60% of the window; the splitter moves by keyboard and pointer and is remembered', async () => {
    const alex = await helperWith({ width: 1440, height: 900 });
    const errors = collectErrors(alex);
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();

    const frame = await box(alex, 'iframe[title]');
    const share = (frame.width * frame.height) / (1440 * 900);
    expect(share).toBeGreaterThanOrEqual(0.6);
    // The chat is still there to type in, beside the page, not under it.
    const chat = await box(alex, 'help-composer');
    expect(chat.x + chat.width).toBeLessThanOrEqual(frame.x);
    expect(chat.y).toBeLessThan(900);
    // The queue and lists fold away, one button from the header.
    const lists = alex.getByRole('button', { name: 'Queue and conversations' });
    expect(await lists.getAttribute('aria-expanded')).toBe('false');
    expect(await alex.getByRole('heading', { name: /^Queue/ }).isVisible()).toBe(false);
    await lists.click();
    await alex.getByRole('heading', { name: /^Queue/ }).waitFor();
    await lists.click();

    const splitter = alex.getByRole('separator', {
      name: "Resize the chat and the visitor's page",
    });
    const before = Number(await splitter.getAttribute('aria-valuenow'));
    await splitter.focus();
    await alex.keyboard.press('ArrowRight');
    await alex.keyboard.press('ArrowRight');
    expect(Number(await splitter.getAttribute('aria-valuenow'))).toBe(before - 4);
    await expect
      .poll(async () => (await box(alex, 'iframe[title]')).width)
      .toBeLessThan(frame.width);
    // However far it goes, the chat keeps at least 320 px.
    await alex.keyboard.press('End');
    await expect
      .poll(async () => (await box(alex, '.chat-column >> nth=0')).width)
      .toBeGreaterThanOrEqual(320);
    expect((await box(alex, 'help-composer')).width).toBeGreaterThanOrEqual(300);
    await alex.keyboard.press('Home');
    const narrowest = (await box(alex, 'iframe[title]')).width;

    // Dragged with the mouse: the page gets what is right of the pointer.
    const bar = await splitter.boundingBox();
    if (!bar) throw new Error('no splitter');
    await alex.mouse.move(bar.x + bar.width / 2, bar.y + 200);
    await alex.mouse.down();
    await alex.mouse.move(500, bar.y + 220, { steps: 5 });
    await alex.mouse.up();
    const dragged = Number(await splitter.getAttribute('aria-valuenow'));
    expect(dragged).toBeGreaterThan(60);
    expect((await box(alex, 'iframe[title]')).width).toBeGreaterThan(narrowest);

    // Remembered: after a reload, following again opens at the same share.
    await alex.reload();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();
    expect(
      Number(
        await alex
          .getByRole('separator', { name: "Resize the chat and the visitor's page" })
          .getAttribute('aria-valuenow'),
      ),
    ).toBe(dragged);
    await alex.screenshot({ path: screenshotPath('page-beside-chat.png') });
    expect(await pageAxeViolations(alex)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('on a narrow screen the chat and the page are two tabs, and the copy stays connected in between', async () => {
    const alex = await helperWith({ width: 1000, height: 800 });
    await alex.getByRole('button', { name: 'Follow page' }).click();
    // "Follow page" was the helper's step: the page is shown next.
    const pageTab = alex.getByRole('tab', { name: 'Page' });
    const chatTab = alex.getByRole('tab', { name: 'Chat' });
    await expect.poll(() => pageTab.getAttribute('aria-selected')).toBe('true');
    await alex.getByText('Following the visitor.').waitFor();
    expect(await alex.getByRole('log', { name: 'Messages' }).isVisible()).toBe(false);
    expect(await alex.locator('iframe[title]').isVisible()).toBe(true);

    // Arrow keys move between tabs; the chat is one key away.
    await pageTab.focus();
    await alex.keyboard.press('ArrowLeft');
    await expect.poll(() => chatTab.getAttribute('aria-selected')).toBe('true');
    expect(await alex.evaluate(() => document.activeElement?.shadowRoot !== null)).toBe(true);
    await alex.getByRole('log', { name: 'Messages' }).waitFor();
    await alex.getByRole('textbox', { name: /message/i }).fill('Look at the warranty part');
    await alex.keyboard.press('Enter');
    await visitor
      .getByRole('dialog', { name: 'Help' })
      .getByText('Look at the warranty part')
      .waitFor();

    // Back on the page: the same copy, still following, and it follows the visitor's scroll.
    await chatTab.focus();
    await alex.keyboard.press('ArrowRight');
    await alex.getByText('Following the visitor.').waitFor();
    await visitor.evaluate(() =>
      document.getElementById('warranty')?.scrollIntoView({ block: 'start' }),
    );
    const copy = followCopyFrame(alex, h.url);
    await expect
      .poll(() =>
        copy.evaluate(() =>
          Math.round(document.getElementById('warranty')?.getBoundingClientRect().top ?? -1),
        ),
      )
      .toBeLessThanOrEqual(2);
    expect(await pageAxeViolations(alex)).toEqual([]);
  });
});
