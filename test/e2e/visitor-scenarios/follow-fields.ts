/**
 * Follow mode, the visitor's form as the leader, in any browser: each control's value reaches
 * the helper's copy read-only, a masked one never does, the highlighted text shows, and with
 * control the helper's typing fills the visitor's field, never a masked one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../../support/agent-page.ts';
import type { BrowserContexts } from '../../support/browser-contexts.ts';
import { type Harness, startHarness } from '../../support/server-harness.ts';
import type { VisitorBrowser } from '../../support/visitor-browsers.ts';
import { askForHelpAs } from '../../support/visitor-page.ts';

export function followFieldsScenarios(browser: VisitorBrowser, helpers: BrowserContexts): void {
  describe('follow mode: form values, masking and selection', () => {
    let h: Harness;
    afterEach(async () => {
      await h?.stop();
    });

    it("shows each control's value read-only, never a masked one, and the highlighted text", async () => {
      h = await startHarness();
      await h.addHelper('Alex', 'alex-password');
      const alex = await helpers.newPage({ width: 1400, height: 1000 });
      // Everything the visitor's browser sends, from its first page on.
      const visitor = await browser.newVisitor({
        io: h.server.io,
        viewport: { width: 900, height: 700 },
      });

      await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });

      await visitor.goto(`${h.url}/checkout.html`);
      // Filled in before the helper follows: the copy must still show it.
      await visitor.fillField('Full name', 'Dana Example');
      await visitor.fillField('Password', 'CANARY-pass-1');
      await askForHelpAs(visitor);
      await visitor.waitForText('Alex is here to help.');
      await alex.getByRole('button', { name: /Visitor/ }).click();
      await alex.getByRole('button', { name: 'Follow page' }).click();
      await alex.getByText('Following the visitor.').waitFor();
      await visitor.waitForText('Alex is following your page.');
      const copy = () => {
        const frame = alex.frames().find((f) => f !== alex.mainFrame());
        if (!frame) throw new Error('no follow frame');
        return frame;
      };
      const valueIn = (selector: string) =>
        copy().evaluate((s) => {
          const control = document.querySelector(s) as HTMLInputElement | HTMLSelectElement | null;
          if (!control) return null;
          if (control instanceof HTMLSelectElement) return control.selectedIndex;
          return control.type === 'checkbox' || control.type === 'radio'
            ? control.checked
            : control.value;
        }, selector);

      await expect.poll(() => valueIn('[name=fullName]')).toBe('Dana Example');
      await visitor.fillField('Email', 'dana@example.com');
      await visitor.fillField('Delivery notes', 'Leave it\nwith the neighbour');
      await visitor.chooseOption('select[name=delivery]', 'Express');
      await visitor.check('This is a gift');
      await visitor.check('Gift box');
      await visitor.fillField('Card number', 'CANARY-4111111111111111');
      await visitor.fillField('One-time code', 'CANARY-987654');
      await visitor.fillField('Gift message (private)', 'CANARY-love-note');

      await expect.poll(() => valueIn('[name=email]')).toBe('dana@example.com');
      await expect.poll(() => valueIn('[name=notes]')).toBe('Leave it\nwith the neighbour');
      await expect.poll(() => valueIn('[name=delivery]')).toBe(1);
      await expect.poll(() => valueIn('[name=gift]')).toBe(true);
      await expect.poll(() => valueIn('[name=wrap][value=box]')).toBe(true);
      expect(await valueIn('[name=wrap][value=none]')).toBe(false);
      for (const masked of ['[name=password]', '[name=card]', '[name=otp]', '[name=giftMessage]']) {
        await expect.poll(() => valueIn(masked)).toBe('•••• (hidden)');
      }

      // A helper who reloads gets every field at once, with nothing done by the visitor.
      await alex.reload();
      await alex.getByRole('button', { name: /Visitor/ }).click();
      await alex.getByRole('button', { name: 'Follow page' }).click();
      await alex.getByText('Following the visitor.').waitFor();
      await expect.poll(() => valueIn('[name=email]')).toBe('dana@example.com');
      await expect.poll(() => valueIn('[name=wrap][value=box]')).toBe(true);
      await expect.poll(() => valueIn('[name=card]')).toBe('•••• (hidden)');

      // Read-only: the helper's typing and clicking change nothing on the copy.
      const copyName = alex.frameLocator('iframe').getByLabel('Full name');
      const copyEmail = alex.frameLocator('iframe').getByLabel('Email');
      await copyEmail.click();
      await alex.keyboard.type('x');
      await alex.frameLocator('iframe').getByLabel('Paper').click();
      expect(await valueIn('[name=email]')).toBe('dana@example.com');
      expect(await valueIn('[name=wrap][value=box]')).toBe(true);

      // The visitor selects a heading's text; the copy highlights the same text.
      await visitor.evaluate(() => {
        const heading = document.querySelector('h1');
        const text = heading?.firstChild;
        if (!text) return;
        const range = document.createRange();
        range.setStart(text, 0);
        range.setEnd(text, 5);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
      });
      await expect
        .poll(() =>
          copy().evaluate(() => {
            const registry = (
              CSS as unknown as { highlights: Map<string, { values(): IterableIterator<Range> }> }
            ).highlights;
            const highlight = registry.get('help-visitor-selection');
            return highlight ? [...highlight.values()].map((r) => r.toString()) : [];
          }),
        )
        .toEqual(['Check']);

      // With control granted, the helper's typing fills the visitor's field, never a masked one.
      await alex.getByRole('button', { name: 'Ask for control' }).click();
      await visitor.clickButton('Allow');
      await alex.getByText('You are in control', { exact: false }).waitFor();
      await alex
        .frameLocator('iframe')
        .getByText("You are in control of the visitor's page")
        .waitFor();
      await copyName.fill('Dana Q. Example');
      await expect.poll(() => visitor.fieldValue('Full name')).toBe('Dana Q. Example');
      // A private field on the copy takes no typing, in control too.
      const copyPassword = alex.frameLocator('iframe').getByLabel('Password');
      expect(await copyPassword.isEditable()).toBe(false);
      await copyPassword.click();
      await alex.keyboard.type('helper-typed');
      // Esc takes control back. Once the copy has heard so it is read-only again; waiting for
      // that keeps its fields as the visitor's, which the copy sends when control is passed again.
      await visitor.clickSelector('[name=fullName]');
      await visitor.press('Escape');
      await alex.frameLocator('iframe').getByText("Following the visitor's page").waitFor();
      await copyName.fill('After Esc');
      expect(await valueIn('[name=fullName]')).toBe('Dana Q. Example');
      // The marker: with control passed again, the helper's next change reaches the visitor;
      // the masked one and the one after Esc, had they been passed on, would have come first.
      await alex.getByRole('button', { name: 'Ask for control' }).click();
      await visitor.clickButton('Allow');
      await alex
        .frameLocator('iframe')
        .getByText("You are in control of the visitor's page")
        .waitFor();
      await alex.frameLocator('iframe').getByLabel('Delivery notes').fill('Ring twice');
      await expect.poll(() => visitor.fieldValue('Delivery notes')).toBe('Ring twice');
      expect(await visitor.fieldValue('Full name')).toBe('Dana Q. Example');
      expect(await visitor.fieldValue('Password')).toBe('CANARY-pass-1');

      // Nothing typed into a masked field left the visitor's browser, nor reached the server.
      const conversationId = (await h.store.listOpenConversations())[0]?.id ?? '';
      const stored = JSON.stringify(await h.live.getChanges(conversationId));
      for (const text of [...visitor.sent, stored]) expect(text).not.toContain('CANARY');
      expect(visitor.sent.some((frame) => frame.includes('dana@example.com'))).toBe(true);
    });
  });
}
