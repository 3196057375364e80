/**
 * The helper's copy shows the visitor's form as it is, in any visitor browser: after the
 * visitor reloads, after the helper follows again or reloads, under control both ways; a
 * private field on the copy takes no typing; control survives reloads on either side.
 */
import type { Frame, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followCopyFrame, signInOnAgentPage } from '../../support/agent-page.ts';
import { recordSent, sentEvents } from '../../support/browser.ts';
import type { BrowserContexts } from '../../support/browser-contexts.ts';
import { type Harness, startHarness } from '../../support/server-harness.ts';
import type { VisitorBrowser } from '../../support/visitor-browsers.ts';
import type { VisitorDriver } from '../../support/visitor-driver.ts';
import { askForHelpAs } from '../../support/visitor-page.ts';

/** What the helper's copy shows in place of a value that never leaves the visitor's browser. */
const MASK = '•••• (hidden)';
/** The checkout form's private fields (by name): their values are never sent. */
const MASKED = new Set(['password', 'giftPin', 'card', 'otp', 'giftMessage']);

type Fields = Record<string, string | number | boolean>;

/** Every control of the checkout form as a person sees it (runs in the page). */
function fieldsInPage(): Fields {
  const fields: Record<string, string | number | boolean> = {};
  for (const element of document.querySelectorAll('main input, main textarea, main select')) {
    const control = element as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (control instanceof HTMLSelectElement) fields[control.name] = control.selectedIndex;
    else if (control.type === 'checkbox' || control.type === 'radio') {
      fields[`${control.name}=${control.value}`] = (control as HTMLInputElement).checked;
    } else fields[control.name] = control.value;
  }
  return fields;
}

export function followCopyScenarios(browser: VisitorBrowser, helpers: BrowserContexts): void {
  describe("the helper's copy shows the visitor's form as it is", () => {
    let h: Harness;
    let alex: Page;
    let visitor: VisitorDriver;
    /** What the helper's browser sent, from its first page on. */
    let alexSent: string[] = [];

    beforeEach(async () => {
      h = await startHarness();
      await h.addHelper('Alex', 'alex-password');
      alex = await helpers.newPage({ width: 1400, height: 1000 });
      alexSent = recordSent(alex);
      await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
      visitor = await browser.newVisitor({
        io: h.server.io,
        viewport: { width: 900, height: 700 },
      });
      await visitor.goto(`${h.url}/checkout.html`);
      // Some filled in before asking for help, some after.
      await visitor.fillField('Full name', 'Dana Example');
      await visitor.fillField('Password', 'visitor-secret');
      await visitor.fillField('Gift card PIN', 'visitor-pin-7');
      await askForHelpAs(visitor);
      await visitor.waitForText('Alex is here to help.');
      await visitor.fillField('Email', 'dana@example.com');
      await visitor.chooseOption('select[name=delivery]', 'Express');
      await visitor.check('Gift box');
      await visitor.check('This is a gift');
      await visitor.fillField('Delivery notes', 'Leave it\nwith the neighbour');
      await visitor.fillField('Card number', '4111 1111 1111 1111');
      await alex.getByRole('button', { name: /Visitor/ }).click();
    });
    afterEach(async () => {
      await h?.stop();
    });
    const copyFrame = (): Frame => followCopyFrame(alex, h.url);
    const copy = () => alex.frameLocator('help-follow-pane iframe');
    const inControlHere = "You are in control of the visitor's page";
    const helperInControl =
      'You are in control: scroll, navigate and fill in fields on the page below.';

    async function follow(): Promise<void> {
      await alex.getByRole('button', { name: 'Follow page' }).click();
      await alex.getByText('Following the visitor.').waitFor();
      await copy()
        .getByText(/Following the visitor's page|You are in control/)
        .waitFor();
    }

    async function takeControl(): Promise<void> {
      await alex.getByRole('button', { name: 'Ask for control' }).click();
      await visitor.clickButton('Allow');
      await alex.getByText(helperInControl).waitFor();
      await copy().getByText(inControlHere).waitFor();
    }

    /**
     * How the copy differs from the visitor's page, field by field: none, once it has caught
     * up. A private field shows on the copy as hidden or empty, never as the visitor's value.
     */
    async function differences(): Promise<string[]> {
      const [theirs, ours] = await Promise.all([
        visitor.evaluate(fieldsInPage),
        copyFrame().evaluate(fieldsInPage),
      ]);
      const wrong: string[] = [];
      for (const [name, value] of Object.entries(theirs)) {
        const shown = ours[name];
        const ok = MASKED.has(name) ? shown === MASK || shown === '' : shown === value;
        if (!ok)
          wrong.push(`${name}: visitor ${JSON.stringify(value)}, copy ${JSON.stringify(shown)}`);
      }
      return wrong;
    }
    const copyAgrees = () => expect.poll(differences).toEqual([]);

    it('after the visitor reloads, every field on the copy is the visitor’s', async () => {
      await follow();
      await copyAgrees();
      await visitor.reload();
      await visitor.waitForText('Alex is following your page.');
      await copyAgrees();
      // What the visitor changes after the reload, back to how the page loaded included.
      await visitor.chooseOption('select[name=delivery]', 'Standard');
      await visitor.check('This is a gift', false);
      await visitor.fillField('Full name', 'Dana Reloaded');
      await copyAgrees();
      // A copy that joins now (the helper reloads) gets the reloaded page's fields only.
      await alex.reload();
      await alex.getByRole('button', { name: /Visitor/ }).click();
      await follow();
      await copyAgrees();
    });

    it('after the helper stops following and follows again, or reloads, every field is the visitor’s', async () => {
      await follow();
      await takeControl();
      await copy().getByLabel('Full name').fill('Dana Q. Example');
      await expect.poll(() => visitor.fieldValue('Full name')).toBe('Dana Q. Example');
      await copyAgrees();

      await alex.getByRole('button', { name: 'Stop following' }).click();
      await visitor.waitForTextGone('Alex is following your page.');
      await follow();
      await copyAgrees();

      await alex.reload();
      await alex.getByRole('button', { name: /Visitor/ }).click();
      await follow();
      await copyAgrees();
    });

    it('under control: the helper’s typing reaches the visitor’s field, the visitor’s reaches the copy, and a copy that rejoins agrees', async () => {
      await follow();
      // The site's own script fills a field; that fires no event, so the copy cannot know.
      await visitor.evaluate(() => {
        const email = document.querySelector<HTMLInputElement>('[name=email]');
        if (email) email.value = 'filled-by-the-site@example.com';
      });
      await takeControl();
      await copy().getByLabel('Full name').fill('Typed by Alex');
      await copy().locator('select[name=delivery]').selectOption('Standard');
      await copy().getByLabel('Paper').check();
      await expect.poll(() => visitor.fieldValue('Full name')).toBe('Typed by Alex');
      await expect
        .poll(() =>
          visitor.evaluate(
            () => document.querySelector<HTMLInputElement>('[name=wrap][value=paper]')?.checked,
          ),
        )
        .toBe(true);
      // Taking control changed nothing by itself: the copy's older value did not overwrite it.
      expect(await visitor.fieldValue('Email')).toBe('filled-by-the-site@example.com');

      // The visitor types while the helper is in control: the copy shows it.
      await visitor.fillField('Email', 'dana@elsewhere.example');
      await visitor.fillField('Delivery notes', 'Ring twice');
      await copyAgrees();
      expect(await visitor.countText('Alex is in control of this page.')).toBe(1);

      // A copy that loads again (the helper reloads) starts from the latest state.
      await alex.reload();
      await alex.getByRole('button', { name: /Visitor/ }).click();
      await follow();
      await copyAgrees();
      expect(await copy().getByLabel('Full name').inputValue()).toBe('Typed by Alex');
    });

    it('a private field on the copy cannot be typed into, under control too, and the text goes nowhere', async () => {
      await follow();
      await takeControl();
      const privateFields = ['Password', 'Gift card PIN', 'Card number', 'One-time code'];
      for (const label of [...privateFields, 'Gift message (private)']) {
        const field = copy().getByLabel(label, { exact: true });
        // Visibly not editable, and saying why.
        expect(await field.evaluate((c) => (c as HTMLInputElement).readOnly)).toBe(true);
        expect(await field.getAttribute('title')).toContain('private');
        await field.click();
        await alex.keyboard.type(`CANARY-${label}`);
        expect(await field.inputValue()).not.toContain('CANARY');
      }
      // Even if the site's own script makes one editable again, it takes no typing.
      const pin = copy().getByLabel('Gift card PIN');
      await pin.evaluate((c) => {
        (c as HTMLInputElement).readOnly = false;
      });
      await pin.click();
      await alex.keyboard.type('CANARY-made-editable');
      expect(await pin.inputValue()).not.toContain('CANARY');
      // The marker: a field that is not private, typed after, reaches the visitor.
      await copy().getByLabel('Delivery notes').fill('After the private ones');
      await expect.poll(() => visitor.fieldValue('Delivery notes')).toBe('After the private ones');
      expect(await visitor.fieldValue('Password')).toBe('visitor-secret');
      expect(await visitor.fieldValue('Gift card PIN')).toBe('visitor-pin-7');
      // The copy's own socket is recorded: the marker went through it.
      expect(sentEvents(alexSent, 'control:change').length).toBeGreaterThan(0);
      const conversationId = (await h.store.listOpenConversations())[0]?.id ?? '';
      const stored = JSON.stringify(await h.live.getChanges(conversationId));
      for (const text of [...alexSent, ...visitor.sent, stored]) {
        expect(text).not.toContain('CANARY');
        expect(text).not.toContain('visitor-secret');
        expect(text).not.toContain('visitor-pin-7');
      }
    });

    it('control is the same on both pages after the visitor reloads; Esc and "Take back control" still work', async () => {
      await follow();
      // Asked, then the visitor reloads: the question is still there.
      await alex.getByRole('button', { name: 'Ask for control' }).click();
      await visitor.waitForText('Allow Alex to scroll, navigate and fill in fields?');
      await visitor.reload();
      await visitor.clickButton('Allow');
      await alex.getByText(helperInControl).waitFor();
      await copy().getByText(inControlHere).waitFor();

      await visitor.reload();
      await visitor.waitForText('Alex is in control of this page.');
      await copy().getByLabel('Full name').fill('Still in control');
      await expect.poll(() => visitor.fieldValue('Full name')).toBe('Still in control');
      await visitor.press('Escape');
      await visitor.waitForTextGone('Alex is in control of this page.');
      await expect.poll(() => alex.getByText(helperInControl).count()).toBe(0);
      await copy().getByText("Following the visitor's page").waitFor();

      await takeControl();
      await visitor.reload();
      await visitor.clickButton('Take back control');
      await expect.poll(() => alex.getByText(helperInControl).count()).toBe(0);
      await copy().getByText("Following the visitor's page").waitFor();
      await expect
        .poll(() => alex.getByRole('button', { name: 'Ask for control' }).isEnabled())
        .toBe(true);
    });

    it('control is the same on both pages after the helper reloads', async () => {
      await follow();
      await takeControl();
      await alex.reload();
      await alex.getByRole('button', { name: /Visitor/ }).click();
      await follow();
      await alex.getByText(helperInControl).waitFor();
      await copy().getByText(inControlHere).waitFor();
      expect(await alex.getByRole('button', { name: 'Ask for control' }).isDisabled()).toBe(true);
      await visitor.waitForText('Alex is in control of this page.');
      await copy().getByLabel('Full name').fill('After the reload');
      await expect.poll(() => visitor.fieldValue('Full name')).toBe('After the reload');

      await visitor.press('Escape');
      await expect.poll(() => alex.getByText(helperInControl).count()).toBe(0);
      await copy().getByText("Following the visitor's page").waitFor();
      await expect
        .poll(() => alex.getByRole('button', { name: 'Ask for control' }).isEnabled())
        .toBe(true);
    });
  });
}
