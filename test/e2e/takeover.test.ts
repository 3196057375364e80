import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { pageAxeViolations } from '../support/page-axe.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

describe('join by code takes a conversation over, and the former helper loses the page', () => {
  const { newPage } = browserContexts();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const copyOf = (page: Page) => page.frames().find((f) => f !== page.mainFrame());

  it('Sam follows; Alex joins by code and confirms; Sam is told and his copy stops; Alex follows', async () => {
    const server = await startHarness();
    h = server;
    await server.addHelper('Sam', 'sam-password');
    await server.addHelper('Alex', 'alex-password');
    const sam = await newPage();
    await signInOnAgentPage(sam, server.url, 'Sam', 'sam-password', { available: true });

    const visitor = await newPage({ width: 700, height: 800 });
    await visitor.goto(`${server.url}/guide.html`);
    const dialog = await askForHelp(visitor);
    await dialog.getByText('Sam is here to help.').waitFor();
    const code = ((await dialog.getByText(/^Your help code: /).textContent()) ?? '').replace(
      'Your help code: ',
      '',
    );

    await sam.getByRole('button', { name: /Visitor/ }).click();
    await sam.getByRole('button', { name: 'Follow page' }).click();
    await sam.getByText('Following the visitor.').waitFor();
    await dialog.getByText('Sam is following your page.').waitFor();
    await expect.poll(() => copyOf(sam)?.url()).toContain('/guide.html');

    // Alex, on the phone with the visitor, types the code.
    const alex = await newPage();
    await signInOnAgentPage(alex, server.url, 'Alex', 'alex-password');
    await alex.getByRole('textbox', { name: 'Join code' }).fill(code);
    await alex.keyboard.press('Enter');
    const question = alex.getByRole('group', { name: 'This visitor is with Sam. Take over?' });
    await question.waitFor();
    // Nothing has moved yet: Sam still follows.
    expect(await sam.getByText('Following the visitor.').isVisible()).toBe(true);
    expect(await pageAxeViolations(alex)).toEqual([]);
    // The next step has the focus: Enter confirms.
    const confirm = alex.getByRole('button', { name: 'Take over from Sam' });
    await expect.poll(() => confirm.evaluate((b) => b.matches(':focus'))).toBe(true);
    await alex.keyboard.press('Enter');
    await alex.getByRole('heading', { name: 'Chat with Visitor' }).waitFor();

    // Sam is told, and his copy of the page is gone.
    await sam
      .getByRole('alert')
      .getByText(/^Alex took over this conversation with Visitor \d{4}\.$/)
      .waitFor();
    await expect.poll(() => copyOf(sam)).toBeUndefined();
    await expect.poll(() => sam.getByRole('button', { name: /Visitor/ }).count()).toBe(0);
    await dialog.getByText('Alex is here to help.').waitFor();
    await expect.poll(() => dialog.getByText(/is following your page/).count()).toBe(0);

    // The visitor moves on: nothing of it reaches Sam, whose page has no copy to follow.
    await visitor.getByRole('link', { name: 'Orders (app)' }).click();
    await visitor.waitForURL(/\/spa\.html/);
    const followers = await server.server.io.of('/follow').fetchSockets();
    expect(followers).toHaveLength(0);
    expect(copyOf(sam)).toBeUndefined();

    // Alex follows, from where the visitor is now.
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();
    await visitor
      .getByRole('dialog', { name: 'Help' })
      .getByText('Alex is following your page.')
      .waitFor();
    await expect.poll(() => copyOf(alex)?.url()).toContain('/spa.html');
    // The copy has loaded the page; its follow socket connects just after.
    const alexId = (await server.store.findHelperByName('Alex'))?.id;
    await expect
      .poll(async () =>
        (await server.server.io.of('/follow').fetchSockets()).map((s) => s.data.helperId),
      )
      .toEqual([alexId]);
  });

  it('Cancel (or Esc) leaves the conversation with the helper who has it', async () => {
    const server = await startHarness();
    h = server;
    await server.addHelper('Sam', 'sam-password');
    await server.addHelper('Alex', 'alex-password');
    const sam = await newPage();
    await signInOnAgentPage(sam, server.url, 'Sam', 'sam-password', { available: true });
    const { json } = await server.requestHelp();
    await sam.getByRole('button', { name: /Visitor/ }).waitFor();

    const alex = await newPage();
    await signInOnAgentPage(alex, server.url, 'Alex', 'alex-password');
    const box = alex.getByRole('textbox', { name: 'Join code' });
    await box.fill(json.joinCode);
    await alex.getByRole('button', { name: 'Join' }).click();
    await alex.getByRole('button', { name: 'Take over from Sam' }).waitFor();
    await alex.keyboard.press('Escape');
    await expect
      .poll(() => alex.getByRole('button', { name: 'Take over from Sam' }).count())
      .toBe(0);
    // Back in the box, where the helper was.
    await expect.poll(() => box.evaluate((input) => input.matches(':focus'))).toBe(true);
    await alex.getByRole('button', { name: 'Join' }).click();
    await alex.getByRole('button', { name: 'Cancel' }).click();
    expect((await server.store.getConversation(json.conversationId))?.helperName).toBe('Sam');
    await expect.poll(() => sam.getByRole('button', { name: /Visitor/ }).count()).toBe(1);
  });
});
