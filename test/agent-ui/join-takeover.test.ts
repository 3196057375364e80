/** "Join by code" when someone else is helping: the question, by keyboard, with axe. */
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { HelpJoinEvent } from '../../agent-ui/agent-events.ts';
import '../../agent-ui/join-code-form.ts';
import type { HelpJoinCode } from '../../agent-ui/join-code-form.ts';
import { axeViolations } from '../support/axe.ts';

function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function form(): Promise<{ form: HelpJoinCode; joins: HelpJoinEvent[]; cancels: Event[] }> {
  const element = document.createElement('help-join-code');
  const joins: HelpJoinEvent[] = [];
  const cancels: Event[] = [];
  element.addEventListener('help-join', (e) => joins.push(e));
  element.addEventListener('help-join-cancel', (e) => cancels.push(e));
  document.body.append(element);
  await element.updateComplete;
  return { form: element, joins, cancels };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('<help-join-code> asking before a takeover', () => {
  it('asks who is with whom, puts focus on the answer, and confirms with takeOver', async () => {
    const { form: element, joins } = await form();
    element.takeover = { code: '482913705', helperName: 'Sam', visitorName: 'Ann' };
    await element.updateComplete;
    const question = page.getByRole('group', { name: 'Ann is with Sam. Take over?' });
    await expect.element(question).toBeVisible();
    const confirm = page.getByRole('button', { name: 'Take over from Sam' });
    await expect.poll(() => focused()?.textContent?.trim()).toBe('Take over from Sam');
    expect(await axeViolations(element)).toEqual([]);
    await userEvent.keyboard('{Enter}');
    expect(joins.map((e) => [e.code, e.takeOver])).toEqual([['482913705', true]]);
    await expect.element(confirm).toBeVisible();
  });

  it('Esc or Cancel says no, and the code box has the focus again', async () => {
    const { form: element, joins, cancels } = await form();
    element.takeover = { code: '482913705', helperName: 'Sam' };
    await element.updateComplete;
    await expect
      .element(page.getByRole('group', { name: 'This visitor is with Sam. Take over?' }))
      .toBeVisible();
    await userEvent.keyboard('{Escape}');
    expect(cancels).toHaveLength(1);
    element.takeover = undefined;
    await element.updateComplete;
    expect(focused()).toBe(element.renderRoot.querySelector('input'));
    await expect
      .element(page.getByRole('button', { name: 'Take over from Sam' }))
      .not.toBeInTheDocument();
    element.takeover = { code: '482913705', helperName: 'Sam' };
    await element.updateComplete;
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(cancels).toHaveLength(2);
    expect(joins).toEqual([]);
  });

  it('a plain join sends the code without takeOver', async () => {
    const { joins } = await form();
    await page.getByRole('textbox', { name: 'Join code' }).fill('482 913 705');
    await userEvent.keyboard('{Enter}');
    expect(joins.map((e) => [e.code, e.takeOver])).toEqual([['482 913 705', false]]);
  });
});
