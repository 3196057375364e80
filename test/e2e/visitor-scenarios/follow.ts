/**
 * Follow mode with the visitor's page as the leader, in any browser: the helper (the agent
 * page, in Chromium) follows where the visitor scrolls and goes, sees their window size, their
 * fields (never a masked one) and their selection; control, once allowed, applies on the
 * visitor's page, and Esc takes it back.
 */
import type { Frame, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followCopyFrame, signInOnAgentPage } from '../../support/agent-page.ts';
import { collectErrors, sentEvents } from '../../support/browser.ts';
import type { BrowserContexts } from '../../support/browser-contexts.ts';
import { screenshotPath } from '../../support/screenshots.ts';
import { type Harness, startHarness } from '../../support/server-harness.ts';
import type { VisitorBrowser } from '../../support/visitor-browsers.ts';
import type { VisitorDriver } from '../../support/visitor-driver.ts';
import { askForHelpAs } from '../../support/visitor-page.ts';

/** Where an element's top is in its window, in whole pixels (+ 0 turns -0 into 0). */
const topIn = (selector: string) =>
  Math.round(document.querySelector(selector)?.getBoundingClientRect().top ?? NaN) + 0;

/** Where the FAQ's 13th item is within its scrolling list. */
const faqItemTop = () => {
  const list = document.getElementById('faq-list');
  const item = list?.querySelectorAll('li')[12];
  return Math.round(
    (item?.getBoundingClientRect().top ?? 0) - (list?.getBoundingClientRect().top ?? 0),
  );
};

/** How far down the visitor's page ever went since `watchDeepest`, and where #care starts. */
interface Deepest {
  deepest: number;
  care: number;
}
type WatchedWindow = Window & { helpTestDeepest?: Deepest };

export function followScenarios(browser: VisitorBrowser, helpers: BrowserContexts): void {
  describe("follow mode: the helper follows the visitor's page", () => {
    let h: Harness;
    let alex: Page;
    let visitor: VisitorDriver;

    beforeEach(async () => {
      h = await startHarness();
      await h.addHelper('Alex', 'alex-password');
      alex = await helpers.newPage({ width: 1400, height: 1000 });
      await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
      // The visitor's window is a different size from the helper's pane.
      visitor = await browser.newVisitor({
        io: h.server.io,
        viewport: { width: 560, height: 650 },
      });
      await visitor.goto(`${h.url}/guide.html`);
      await askForHelpAs(visitor);
      await visitor.waitForText('Alex is here to help.');
      await alex.getByRole('button', { name: /Visitor/ }).click();
    });
    afterEach(async () => {
      await h?.stop();
    });

    const copyFrame = () => followCopyFrame(alex, h.url);
    /** Waits for the copy to reach `path` (a change of page takes two loads and a reconnect). */
    const copyReaches = (path: string) =>
      copyFrame().waitForURL((url) => url.pathname + url.search === path);
    async function follow(): Promise<Frame> {
      await alex.getByRole('button', { name: 'Follow page' }).click();
      await alex.getByText('Following the visitor.').waitFor();
      return copyFrame();
    }
    const visitorTop = (selector: string) => visitor.evaluate(topIn, selector);
    const copyTop = (selector: string) => copyFrame().evaluate(topIn, selector);
    /** Within two pixels of the top: scrolling back and forth may round either way. */
    const nearTop = async (top: Promise<number>) => Math.abs(await top) <= 2;

    it('shows the same page, and the same heading at the top after the visitor scrolls', async () => {
      // The agent page runs under a strict CSP: framing the site and its scripts must not trip it.
      const agentErrors = collectErrors(alex);
      await follow();
      await visitor.waitForText('Alex is following your page.');
      expect(new URL(copyFrame().url()).pathname).toBe('/guide.html');

      await visitor.evaluate(() =>
        document.getElementById('warranty')?.scrollIntoView({ block: 'start' }),
      );
      expect(await visitorTop('#warranty')).toBe(0);
      await expect.poll(() => copyTop('#warranty')).toBe(0);
      // The two windows differ in size, so the same place is not the same pixel offset.
      const offsets = await Promise.all([
        visitor.evaluate(() => scrollY),
        copyFrame().evaluate(() => scrollY),
      ]);
      expect(offsets[0]).not.toBe(offsets[1]);

      // An inner scroller follows too.
      await visitor.evaluate(() => {
        const list = document.getElementById('faq-list');
        const item = list?.querySelectorAll('li')[12];
        if (list && item) list.scrollTop = item.offsetTop - list.offsetTop;
      });
      const visitorItemTop = await visitor.evaluate(faqItemTop);
      await expect.poll(() => copyFrame().evaluate(faqItemTop)).toBe(visitorItemTop);
      if (browser.name === 'chromium') {
        await alex.screenshot({ path: screenshotPath('follow-mode.png') });
      }
      expect(visitor.errors).toEqual([]);
      expect(agentErrors).toEqual([]);
    });

    it('goes where the visitor goes: full page loads and single-page-app routes', async () => {
      await follow();
      await visitor.clickLink('Orders (app)', 'nav[aria-label="Demo site"]');
      await copyReaches('/spa.html');
      await visitor.clickLink('Order 1042');
      await expect
        .poll(() =>
          visitor.evaluate(() => document.body.innerText.includes('Order 1042: on its way.')),
        )
        .toBe(true);
      await copyReaches('/spa.html?order=1042');
      await visitor.goBack();
      await copyReaches('/spa.html');
    });

    it('"Stop sharing" ends it at once for the helper, and nothing more is sent', async () => {
      await follow();
      await visitor.clickButton('Stop sharing');
      await alex.getByText('The visitor stopped sharing their page.').waitFor();
      await visitor.waitForTextGone('Alex is following your page.');
      const since = visitor.sent.length;
      await visitor.evaluate(async () => {
        document.getElementById('repairs')?.scrollIntoView({ block: 'start' });
        // Scrolling is reported on the next animation frame; two frames on, it would be sent.
        await new Promise(requestAnimationFrame);
        await new Promise(requestAnimationFrame);
      });
      // The marker: a message the visitor sends after scrolling, on the same socket, arrives.
      await visitor.fillBox('Message', 'Sent after scrolling');
      await visitor.press('Enter');
      await alex.getByRole('log', { name: 'Messages' }).getByText('Sent after scrolling').waitFor();
      // The recording does see these changes: while followed, the page sent them.
      expect(sentEvents(visitor.sent.slice(0, since), 'cobrowse:change')).not.toEqual([]);
      const after = visitor.sent.slice(since);
      expect(sentEvents(after, 'chat:send').map((m) => m.text)).toEqual(['Sent after scrolling']);
      expect(sentEvents(after, 'cobrowse:change')).toEqual([]);
      const conversationId = (await h.store.listOpenConversations())[0]?.id ?? '';
      expect(await h.live.getChanges(conversationId)).toEqual([]);
    });

    it("shows the visitor's window size, and can draw the copy at that size", async () => {
      await follow();
      await alex.getByText("Visitor's window: 560 × 650").waitFor();
      await alex.getByText('they are looking at this page').waitFor();
      await alex.getByRole('button', { name: "Show at visitor's size" }).click();
      const frame = alex.locator('help-follow-pane iframe');
      await expect.poll(() => frame.evaluate((f) => (f as HTMLElement).style.width)).toBe('560px');
      await visitor.setViewport({ width: 700, height: 600 });
      await alex.getByText("Visitor's window: 700 × 600").waitFor();
      await expect.poll(() => frame.evaluate((f) => (f as HTMLElement).style.width)).toBe('700px');
    });

    it('tells the visitor in a small notice, not by opening the dialog, when following starts while it is closed; the notice stops it', async () => {
      await visitor.clickButton('Close');
      await expect.poll(() => visitor.dialogOpen()).toBe(false);
      await follow();
      await visitor.waitForText('Alex is viewing this page.');
      expect(await visitor.dialogOpen()).toBe(false);
      await visitor.clickButton('Stop sharing');
      await visitor.waitForTextGone('Alex is viewing this page.');
      await alex.getByText('The visitor stopped sharing their page.').waitFor();
    });

    it('passes control only when the visitor allows it, and Esc takes it back at once', async () => {
      await follow();
      const askButton = alex.getByRole('button', { name: 'Ask for control' });

      // Deny.
      await askButton.click();
      await visitor.waitForText('Allow Alex to scroll, navigate and fill in fields?');
      await visitor.clickButton('Deny');
      await alex.getByText('The visitor said no to passing control.').waitFor();

      // Allow: the helper's scrolling on the copy moves the visitor's page.
      await askButton.click();
      await visitor.clickButton('Allow');
      await alex
        .getByText('You are in control: scroll, navigate and fill in fields on the page below.')
        .waitFor();
      await visitor.waitForText('Alex is in control of this page.');
      await copyFrame().evaluate(() =>
        document.getElementById('sizing')?.scrollIntoView({ block: 'start' }),
      );
      await expect.poll(() => nearTop(visitorTop('#sizing'))).toBe(true);

      // Esc on the visitor's page ends it at once; the helper's scrolling no longer applies.
      await visitor.press('Escape');
      await visitor.waitForTextGone('Alex is in control of this page.');
      await expect
        .poll(() => alex.getByText('You are in control', { exact: false }).count())
        .toBe(0);
      // From here on: how far down the visitor's page ever goes, and where #care starts on it
      // (kept on the page's window, where a later evaluate reads it).
      await visitor.evaluate(() => {
        const seen: Deepest = {
          deepest: scrollY,
          care: scrollY + (document.getElementById('care')?.getBoundingClientRect().top ?? NaN),
        };
        (window as WatchedWindow).helpTestDeepest = seen;
        addEventListener('scroll', () => {
          seen.deepest = Math.max(seen.deepest, scrollY);
        });
      });
      await copyFrame().evaluate(() =>
        document.getElementById('contact')?.scrollIntoView({ block: 'start' }),
      );
      // The copy is shorter than the visitor's page; #contact cannot reach its top, but the
      // helper's scroll has taken it past #care.
      expect(await copyTop('#care')).toBeLessThan(0);
      // The visitor's own scroll (to where they are) brings the copy back to their place.
      await visitor.evaluate(async () => {
        scrollBy(0, 1);
        await new Promise(requestAnimationFrame);
        await new Promise(requestAnimationFrame);
        scrollBy(0, -1);
      });
      await expect.poll(() => nearTop(copyTop('#sizing'))).toBe(true);
      // The marker: control passed again, the helper's next scroll reaches the visitor. Had the
      // one to #contact been passed on, it would have come first, along the same path.
      await askButton.click();
      await visitor.clickButton('Allow');
      await alex
        .frameLocator('help-follow-pane iframe')
        .getByText("You are in control of the visitor's page")
        .waitFor();
      await copyFrame().evaluate(() =>
        document.getElementById('returns')?.scrollIntoView({ block: 'start' }),
      );
      await expect.poll(() => nearTop(visitorTop('#returns'))).toBe(true);
      // The visitor's page never went as far down as the helper's scroll after Esc.
      const seen = await visitor.evaluate(() => (window as WatchedWindow).helpTestDeepest);
      expect(seen?.deepest).toBeLessThan(seen?.care ?? NaN);
    });

    it("points: the element the helper clicks on the copy pulses on the visitor's page", async () => {
      await follow();
      await alex.getByRole('button', { name: 'Point' }).click();
      await alex.frameLocator('help-follow-pane iframe').locator('#returns').click();
      await expect
        .poll(() =>
          visitor.evaluate(() => {
            const heading = document.getElementById('returns');
            const box = heading?.getBoundingClientRect();
            const inView = !!box && box.top >= 0 && box.bottom <= innerHeight;
            return inView && (heading?.getAnimations().length ?? 0) > 0;
          }),
        )
        .toBe(true);
      await expect
        .poll(() => alex.getByRole('button', { name: 'Point' }).getAttribute('aria-pressed'))
        .toBe('false');
    });
  });
}
