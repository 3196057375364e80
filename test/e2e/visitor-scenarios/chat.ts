/**
 * The visitor's chat, in any browser: ask, get the answer, keep it across reloads and pages;
 * and the same by keyboard alone. The helper is a real agent socket: these are about the
 * visitor's page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { visitorAxeViolations } from '../../support/page-axe.ts';
import {
  type AgentClient,
  type Harness,
  newId,
  startHarness,
  waitFor,
} from '../../support/server-harness.ts';
import type { VisitorBrowser } from '../../support/visitor-browsers.ts';
import type { VisitorBrowserName, VisitorDriver } from '../../support/visitor-driver.ts';
import { askForHelpAs } from '../../support/visitor-page.ts';

/** How the server names each browser from its user agent (ua-parser-js). */
const PARSED_NAME: Record<VisitorBrowserName, RegExp> = {
  chromium: /Chrom/,
  firefox: /Firefox/,
};

export function chatScenarios(browser: VisitorBrowser): void {
  const browserName = browser.name;
  describe('a visitor on the demo site chats with a helper', () => {
    let h: Harness;
    let helper: AgentClient;
    let visitor: VisitorDriver;

    beforeEach(async () => {
      h = await startHarness();
      await h.addHelper('Alex', 'alex-password');
      helper = await h.agent('Alex', 'alex-password');
      await helper.emitWithAck('helper:availability', { availability: 'available', capacity: 3 });
      visitor = await browser.newVisitor({ io: h.server.io });
    });
    afterEach(async () => {
      await h?.stop();
    });

    const assigned = async () =>
      (await waitFor(helper, 'conversation:updated', (c) => c.status === 'assigned')).id;

    it('asks for help with the page and browser, gets the answer, and keeps it across reloads and pages', async () => {
      await visitor.goto(`${h.url}/checkout.html`);
      await askForHelpAs(visitor, 'Hello');
      await visitor.waitForText('Alex is here to help.');
      const conversationId = await assigned();
      const stored = await h.store.getConversation(conversationId);
      expect(stored?.details).toMatchObject({
        pageUrl: `${h.url}/checkout.html`,
        pageTitle: 'Checkout — Acme Outdoor',
        agent: { browser: { name: expect.stringMatching(PARSED_NAME[browserName]) } },
      });
      expect(stored?.details.agent.os.name).toBe('Linux');
      const code = stored?.joinCode.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3') ?? 'none';
      await visitor.waitForText(`Your help code: ${code}`);

      await visitor.fillBox('Message', 'My order is stuck');
      await visitor.clickButton('Send');
      await expect.poll(() => visitor.countText('Delivered')).toBe(2);
      await helper.emitWithAck('chat:send', {
        conversationId,
        id: newId(),
        text: 'Let me check that for you.',
      });
      await visitor.waitForText('Let me check that for you.');

      await visitor.reload();
      await visitor.waitForText('Let me check that for you.');
      expect(await visitor.countText('My order is stuck')).toBe(1);
      await visitor.goto(`${h.url}/`);
      await visitor.waitForText('Let me check that for you.');
      await visitor.waitForText('Alex is here to help.');

      // Closed on one page, closed on the next; a new message is counted on the button.
      await visitor.clickButton('Close');
      await visitor.goto(`${h.url}/checkout.html`);
      await visitor.waitForButton('Help');
      await helper.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Found it.' });
      await visitor.waitForText('1 new message from your helper', { visibleOnly: false });
      // Checked after the count arrived: the widget has restored the chat, and kept it closed.
      expect(await visitor.dialogOpen()).toBe(false);
      expect(await h.store.listOpenConversations()).toHaveLength(1);
      expect(visitor.errors).toEqual([]);
    });

    it('works by keyboard alone: ask, read the answer, end, rate; the page keeps one banner and no axe findings', async () => {
      await visitor.goto(`${h.url}/checkout.html`);
      // The widget draws its button once its script has loaded: on a busy machine, after the
      // page itself. A keyboard user tabs to what is there.
      await visitor.waitForButton('Help');
      // Tab until the help button has focus, as a keyboard user would.
      let label = '';
      for (let i = 0; i < 40 && label !== 'Help'; i++) {
        await visitor.press('Tab');
        label = await visitor.evaluate(
          () => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? '',
        );
      }
      expect(label).toBe('Help');
      await visitor.press('Enter');
      // The dialog's code loads when it first opens; focus moves to the message box once it is
      // there, and a keyboard user types when they see it.
      await expect.poll(() => visitor.isFocused('Message')).toBe(true);
      await visitor.type('Where is my order?');
      expect(await visitor.boxValue('Message')).toBe('Where is my order?');
      await visitor.press('Enter');
      await visitor.waitForText('Alex is here to help.');
      const conversationId = await assigned();
      await helper.emitWithAck('chat:send', { conversationId, id: newId(), text: 'On its way.' });
      await visitor.waitForText('On its way.');
      // Every finding, moderate ones included: the widget adds no second banner landmark.
      expect(await visitorAxeViolations(visitor)).toEqual([]);

      // From the message box: Tab to "End chat", confirm with Enter (focus is on "Yes").
      await visitor.press('Tab');
      await visitor.press('Tab');
      await visitor.press('Enter');
      await visitor.waitForButton('Yes, end chat');
      await visitor.press('Enter');
      await visitor.waitForText('You ended this chat.');
      // Focus is on the first rating button: Enter picks it, Tab on to the comment, then send.
      await visitor.press('Enter');
      await visitor.press('Tab');
      await visitor.press('Tab');
      await visitor.type('Fast answer');
      await visitor.press('Tab');
      await visitor.press('Enter');
      await visitor.waitForText('Thank you for your rating.');
      expect((await h.store.getConversation(conversationId))?.rating).toMatchObject({
        value: 'up',
        comment: 'Fast answer',
      });
      expect(await visitorAxeViolations(visitor)).toEqual([]);
      // The transcript is a real download.
      expect(await visitor.download('Download transcript')).toMatch(
        /^help-chat-\d{4}-\d{2}-\d{2}\.txt$/,
      );
      expect(visitor.errors).toEqual([]);
    });
  });
}
