/**
 * The tools a helper works with in a chat: internal notes (a canary never reaches the
 * visitor's browser), transfer with a note (the new helper sees note and history, the old one
 * loses it at once), timestamps, links and initials. Real server, real Chromium, three people.
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { collectErrors, recordReceived } from '../support/browser.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { pageAxeViolations } from '../support/page-axe.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

const CANARY = 'CANARY-note-4be1 card ends 4242';
const HANDOVER = 'CANARY-handover-77c0 wants the refund to the old card';

describe("the helper's tools in a chat", () => {
  const { newPage } = browserContexts();
  let h: Harness;
  let alex: Page;
  let visitor: Page;
  let visitorReceived: string[];

  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex Moreau', 'alex-password');
    await h.addHelper('Sam', 'sam-password');
    alex = await newPage({ width: 1100, height: 900 });
    await signInOnAgentPage(alex, h.url, 'Alex Moreau', 'alex-password', { available: true });
    visitor = await newPage({ width: 900, height: 700 });
    visitorReceived = recordReceived(visitor);
    await visitor.goto(`${h.url}/guide.html`);
    await askForHelp(visitor, 'Where is https://shop.example/orders/1042? Not javascript:alert(1)');
    await dialog().getByText('Alex Moreau is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
  });
  afterEach(async () => {
    await h?.stop();
  });
  const dialog = () => visitor.getByRole('dialog', { name: 'Help' });
  const log = (page: Page) => page.getByRole('log', { name: 'Messages' });
  const box = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

  it('shows links, times and initials, and keeps internal notes from the visitor', async () => {
    const errors = collectErrors(alex);
    // A web address is a link that opens apart from the desk; other schemes stay text.
    const link = log(alex).getByRole('link', { name: 'https://shop.example/orders/1042' });
    expect(await link.getAttribute('href')).toBe('https://shop.example/orders/1042');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await log(alex).getByRole('link').count()).toBe(1);
    await log(alex).getByText('javascript:alert(1)', { exact: false }).waitFor();

    // Every message says when: relative, exact on hover and for screen readers.
    const time = log(alex).locator('time').first();
    const sentAt = await time.getAttribute('datetime');
    expect(Date.now() - Date.parse(sentAt ?? '')).toBeLessThan(60_000);
    expect(await time.getAttribute('title')).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(await time.innerText()).toContain('just now');

    await box(alex, 'Message').fill('Let me check that order');
    await alex.keyboard.press('Enter');
    await dialog().getByText('Let me check that order').waitFor();
    // Initials beside each author: "AM" for Alex Moreau, "V4" for Visitor 4821. The visitor's
    // messages go under the name the desk gives them, not the "Visitor" their browser sent.
    const heading = await alex
      .getByRole('heading', { name: /^Chat with Visitor \d{4}$/ })
      .innerText();
    const number = heading.match(/\d{4}/)?.[0] ?? '';
    await expect
      .poll(() => log(alex).locator('.avatar').allInnerTexts())
      .toEqual([`V${number[0]}`, 'AM']);
    await log(alex).locator('li', { hasText: 'Where is' }).getByText(`Visitor ${number}`).waitFor();

    // An internal note: a deliberate switch, shown as a note, never sent to the visitor.
    const noteSwitch = alex.getByRole('button', { name: 'Internal note' });
    await noteSwitch.click();
    expect(await noteSwitch.getAttribute('aria-pressed')).toBe('true');
    await alex.getByText(/^Only helpers see notes; Visitor \d{4} will not\.$/).waitFor();
    await box(alex, 'Internal note').fill(CANARY);
    await alex.getByRole('button', { name: 'Add note' }).click();
    const note = log(alex).getByRole('listitem').filter({ hasText: CANARY });
    await note.getByText('Internal note').waitFor();
    // Back to replies: the next message goes to the visitor, after the note.
    await noteSwitch.click();
    await box(alex, 'Message').fill('Found it, one moment');
    await alex.keyboard.press('Enter');
    await dialog().getByText('Found it, one moment').waitFor();
    // The visitor reloads: what the server gives back has no note either.
    // (The dialog was open, so it opens again by itself.)
    await visitor.reload();
    await dialog().getByText('Found it, one moment').waitFor();
    expect(await dialog().getByText('CANARY', { exact: false }).count()).toBe(0);
    expect(visitorReceived.filter((frame) => frame.includes('CANARY'))).toEqual([]);
    expect(visitorReceived.join('').length).toBeGreaterThan(1000);

    expect(await pageAxeViolations(alex)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('canned replies: managed by helpers, found with / in the message box, by keyboard', async () => {
    await alex.getByRole('button', { name: 'Canned replies' }).click();
    await alex.getByRole('heading', { name: 'Canned replies', level: 2 }).waitFor();
    await alex.getByRole('textbox', { name: 'Shortcut (after /)' }).fill('refund');
    await alex
      .getByRole('textbox', { name: 'Reply', exact: true })
      .fill('Refunds take 5 working days: https://shop.example/refunds');
    await alex.getByRole('button', { name: 'Save reply' }).click();
    await alex.getByText('Saved /refund.').waitFor();
    // The form is ready for the next one; a shortcut in use is refused, whatever its case.
    await alex.getByRole('textbox', { name: 'Shortcut (after /)' }).fill('REFUND');
    await alex.getByRole('textbox', { name: 'Reply', exact: true }).fill('Something else');
    await alex.getByRole('button', { name: 'Save reply' }).click();
    await alex
      .getByRole('alert')
      .filter({ hasText: 'Another reply already uses /REFUND' })
      .waitFor();
    await alex.getByRole('textbox', { name: 'Shortcut (after /)' }).fill('hours');
    await alex.getByRole('textbox', { name: 'Reply', exact: true }).fill('We answer 9:00-17:00.');
    await alex.getByRole('button', { name: 'Save reply' }).click();
    await alex.getByText('Saved /hours.').waitFor();
    await alex.getByRole('button', { name: 'Edit /hours' }).click();
    await alex.getByRole('textbox', { name: 'Reply', exact: true }).fill('We answer 8:00-18:00.');
    await alex.getByRole('button', { name: 'Save reply' }).click();
    await alex.getByText('We answer 8:00-18:00.').waitFor();
    expect(await pageAxeViolations(alex)).toEqual([]);

    // In the chat: / opens the list with the focus in its search; Enter puts the reply in.
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await box(alex, 'Message').click();
    await alex.keyboard.type('/');
    const search = alex.getByRole('combobox', { name: 'Search canned replies' });
    await expect.poll(() => search.evaluate((e) => e.matches(':focus'))).toBe(true);
    expect(await alex.getByRole('option').allInnerTexts()).toEqual([
      '/hours We answer 8:00-18:00.',
      '/refund Refunds take 5 working days: https://shop.example/refunds',
    ]);
    await alex.keyboard.type('ref');
    expect(await alex.getByRole('option').count()).toBe(1);
    await alex.keyboard.press('Enter');
    const message = box(alex, 'Message');
    await expect.poll(() => message.inputValue()).toContain('Refunds take 5 working days');
    await expect.poll(() => message.evaluate((e) => e.matches(':focus'))).toBe(true);
    await alex.keyboard.press('Enter');
    await dialog().getByText('Refunds take 5 working days', { exact: false }).waitFor();

    // Esc closes the list and gives back the "/" that was typed.
    await alex.keyboard.type('/');
    await search.waitFor();
    await alex.keyboard.press('Escape');
    await expect.poll(() => search.count()).toBe(0);
    expect(await message.inputValue()).toBe('/');
  });

  it('transfers to an available colleague with a note: Sam gets note and history, Alex loses it at once', async () => {
    const sam = await newPage({ width: 1100, height: 900 });
    await signInOnAgentPage(sam, h.url, 'Sam', 'sam-password', { available: true });
    await box(alex, 'Message').fill('Hello, I am Alex');
    await alex.keyboard.press('Enter');
    await dialog().getByText('Hello, I am Alex').waitFor();

    const transfer = alex.getByRole('button', { name: 'Transfer', exact: true });
    await transfer.click();
    expect(await transfer.getAttribute('aria-expanded')).toBe('true');
    const to = alex.getByRole('combobox', { name: 'To' });
    await expect
      .poll(() => to.evaluate((e) => e === document.activeElement || e.matches(':focus')))
      .toBe(true);
    expect(await to.locator('option').allInnerTexts()).toEqual(['Sam']);
    // Esc changes nothing and gives the focus back to "Transfer"; it opens again as before.
    await alex.keyboard.press('Escape');
    await expect.poll(() => to.count()).toBe(0);
    await expect.poll(() => transfer.evaluate((e) => e.matches(':focus'))).toBe(true);
    expect(await transfer.getAttribute('aria-expanded')).toBe('false');
    await alex.keyboard.press('Enter');
    await expect.poll(() => to.evaluate((e) => e.matches(':focus'))).toBe(true);
    await alex.getByRole('textbox', { name: /Note for them/ }).fill(HANDOVER);
    await alex.getByRole('button', { name: 'Transfer conversation' }).click();

    // Alex: told where it went, and the conversation is gone from his desk.
    await alex.getByText(/^The conversation with Visitor \d{4} is now with Sam\.$/).waitFor();
    await expect.poll(() => log(alex).count()).toBe(0);
    expect(await alex.getByRole('button', { name: /Visitor/ }).count()).toBe(0);

    // Sam: the history and Alex's note, marked as a note.
    await sam.getByRole('button', { name: /Visitor/ }).click();
    await log(sam).getByText('Hello, I am Alex').waitFor();
    const note = log(sam).getByRole('listitem').filter({ hasText: HANDOVER });
    await note.getByText('Internal note').waitFor();
    await note.getByText('Alex Moreau').waitFor();
    await dialog().getByText('Sam is here to help.').waitFor();
    await box(sam, 'Message').fill('Sam here, I will sort the refund');
    await sam.keyboard.press('Enter');
    await dialog().getByText('Sam here, I will sort the refund').waitFor();
    expect(visitorReceived.filter((frame) => frame.includes('CANARY'))).toEqual([]);
  });
});
