/**
 * Who is this visitor: an anonymous visitor has a friendly number that stays with their
 * browser, and when they come back their helper sees the earlier conversations, transcript
 * included. Real server, real Chromium.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { pageAxeViolations } from '../support/page-axe.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

describe('a returning visitor', () => {
  const { newPage } = browserContexts();
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
  });
  afterEach(async () => {
    await h?.stop();
  });

  it('keeps their number, and the helper sees their earlier conversation with its transcript', async () => {
    const alex = await newPage({ width: 1100, height: 900 });
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    const visitor = await newPage({ width: 900, height: 700 });
    await visitor.goto(`${h.url}/guide.html`);
    const dialog = await askForHelp(visitor, 'My tent pole snapped');
    await dialog.getByText('Alex is here to help.').waitFor();

    // Not "Visitor" like every other one: a number of their own, in the list and the title.
    const item = alex.getByRole('button', { name: /^Visitor \d{4}/ });
    const label = ((await item.innerText()).match(/Visitor \d{4}/) ?? [''])[0];
    expect(label).toMatch(/^Visitor \d{4}$/);
    await item.click();
    await alex.getByRole('heading', { name: `Chat with ${label}` }).waitFor();
    await alex.getByText('No earlier conversations from this visitor.').waitFor();
    await alex
      .getByRole('textbox', { name: 'Message', exact: true })
      .fill('A new pole is on its way');
    await alex.keyboard.press('Enter');
    await dialog.getByText('A new pole is on its way').waitFor();
    await alex.getByRole('button', { name: 'End conversation' }).click();
    await alex.getByRole('button', { name: 'End chat', exact: true }).click();
    await dialog.getByText('Alex ended this chat.').waitFor();
    await alex.getByRole('button', { name: 'Close conversation' }).click();

    // A week later, the same browser asks again.
    await dialog.getByRole('button', { name: 'Start a new chat' }).click();
    const box = dialog.getByRole('textbox', { name: 'Message' });
    await box.fill('Is the new pole shipped?');
    await box.press('Enter');
    await dialog.getByText('Alex is here to help.').last().waitFor();
    await alex.getByRole('button', { name: new RegExp(`^${label}`) }).click();
    await alex.getByRole('heading', { name: `Chat with ${label}` }).waitFor();
    // One press from the visitor's name to their past.
    await alex.getByRole('button', { name: 'Show 1 earlier conversation' }).click();
    const heading = alex.getByRole('heading', { name: 'Earlier conversations (1)' });
    await expect.poll(() => heading.evaluate((e) => e.matches(':focus'))).toBe(true);
    const earlier = alex.getByText(/· with Alex/);
    await earlier.click();
    const transcript = alex.locator('help-visitor-details details[open]');
    await transcript.getByText('My tent pole snapped').waitFor();
    await transcript.getByText('A new pole is on its way').waitFor();
    expect(await pageAxeViolations(alex)).toEqual([]);
  });
});
