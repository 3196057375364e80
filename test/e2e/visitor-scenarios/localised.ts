/**
 * The dialog in the page's language, in any browser: German from `<html lang="de">` all the
 * way through a chat, and Arabic laid out right to left.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ar } from '../../../widget/i18n/ar.ts';
import { de } from '../../../widget/i18n/de.ts';
import { LOADER_STRINGS } from '../../../widget/i18n/loader-strings.ts';
import {
  type AgentClient,
  type Harness,
  newId,
  startHarness,
  waitFor,
} from '../../support/server-harness.ts';
import { startThirdPartySite, type ThirdPartySite } from '../../support/third-party-site.ts';
import type { VisitorBrowser } from '../../support/visitor-browsers.ts';
import type { VisitorDriver } from '../../support/visitor-driver.ts';
import { askForHelpAs } from '../../support/visitor-page.ts';

/** A shop page in `lang`, embedding the widget from the help server. */
const shopPage = (lang: string, helpServer: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">
<script type="module" src="${helpServer}/widget.js"></script></head>
<body><main><h1>Shop</h1></main><help-widget server="${helpServer}"></help-widget></body></html>`;

export function localisedScenarios(browser: VisitorBrowser): void {
  describe('the dialog speaks the page’s language', () => {
    let h: Harness;
    let site: ThirdPartySite;
    let helper: AgentClient;
    let visitor: VisitorDriver;

    beforeEach(async () => {
      const files = {};
      site = await startThirdPartySite(files);
      h = await startHarness({ allowedOrigins: [site.origin] });
      Object.assign(files, {
        '/de.html': { type: 'text/html', body: shopPage('de', h.url) },
        '/ar.html': { type: 'text/html', body: shopPage('ar', h.url) },
      });
      await h.addHelper('Alex', 'alex-password');
      helper = await h.agent('Alex', 'alex-password');
      await helper.emitWithAck('helper:availability', { availability: 'available', capacity: 3 });
      visitor = await browser.newVisitor({ io: h.server.io });
    });
    afterEach(async () => {
      await h?.stop();
      await site?.close();
    });

    it('German on a German page: the button, the dialog, the chat, after a reload and at the end', async () => {
      await visitor.goto(`${site.origin}/de.html`);
      await visitor.clickButton(LOADER_STRINGS.de.help);
      await visitor.waitForText(de.greeting);
      await visitor.fillBox(de.messageLabel, 'Hallo, wo ist meine Bestellung?');
      await visitor.press('Enter');
      await visitor.waitForText(de.helperHere('Alex'));
      await visitor.waitForText(de.helpCode);
      const { id: conversationId } = await waitFor(
        helper,
        'conversation:updated',
        (c) => c.status === 'assigned',
      );
      await helper.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Moment bitte.' });
      await visitor.waitForText('Moment bitte.');

      await visitor.reload();
      await visitor.waitForText('Moment bitte.');
      await visitor.waitForButton(de.close);
      await visitor.clickButton(de.endChat);
      await visitor.clickButton(de.endChatYes);
      await visitor.waitForText(de.endedByYou);
      // Nothing English slipped in on the way.
      expect(await visitor.countText('Alex is here to help.')).toBe(0);
      expect(visitor.errors).toEqual([]);
    });

    it('Arabic on an Arabic page, laid out right to left', async () => {
      await visitor.goto(`${site.origin}/ar.html`);
      await askForHelpAs(visitor, 'مرحبا', {
        help: LOADER_STRINGS.ar.help,
        message: ar.messageLabel,
      });
      await visitor.waitForText(ar.helperHere('Alex'));
      const direction = await visitor.evaluate(() => {
        const dialog = [document.querySelector('help-widget')?.shadowRoot ?? document]
          .flatMap(function deep(root: Document | ShadowRoot): Element[] {
            const all = [...root.querySelectorAll('*')];
            return all.concat(all.flatMap((e) => (e.shadowRoot ? deep(e.shadowRoot) : [])));
          })
          .find((e) => e.getAttribute('role') === 'dialog');
        return dialog ? getComputedStyle(dialog).direction : 'no dialog';
      });
      expect(direction).toBe('rtl');
      expect(visitor.errors).toEqual([]);
    });
  });
}
