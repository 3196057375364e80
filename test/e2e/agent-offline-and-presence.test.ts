/**
 * The agent page against a real server, for what visitors do while a helper watches: leave a
 * message when no one is there, come and go, say who they are later, and rate the chat after
 * it ended. The visitor is a real socket and real REST calls (the widget has its own tests);
 * the helper is a real browser.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { collectErrors } from '../support/browser.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { pageAxeViolations } from '../support/page-axe.ts';
import { type Harness, helpRequestBody, startHarness } from '../support/server-harness.ts';

/** Whether the element a locator finds has the keyboard focus (inside shadow roots too). */
const isFocused = (page: Page, role: 'button' | 'textbox', name: string) =>
  page.getByRole(role, { name, exact: true }).evaluate((element) => element.matches(':focus'));

describe('the agent page: messages left for later, presence, ending and ratings', () => {
  const { newPage } = browserContexts();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('a message left while no one was available waits under "Messages" until a helper answers it', async () => {
    // Gone soon after the visitor's page closed, so the test sees it happen.
    const server = await startHarness({ visitorGoneMs: 1500 });
    h = server;
    await server.addHelper('Alex', 'alex-password');
    const alex = await newPage();
    await signInOnAgentPage(alex, server.url, 'Alex', 'alex-password');
    // Errors from here on.
    const errors = collectErrors(alex);

    const left = await server.requestHelp(
      helpRequestBody({
        kind: 'message',
        pageUrl: 'https://shop.example/pricing?plan=pro',
        pageTitle: 'Pricing — Shop',
        visitor: { name: 'Ann', email: 'ann@example.com' },
        message: { id: 'message-from-ann-1', text: 'Can I pay <b>yearly</b>?' },
      }),
    );
    expect(left.status).toBe(201);

    const messages = alex.getByRole('region', { name: 'Messages (1)' });
    await messages.getByText('Can I pay <b>yearly</b>?').waitFor();
    expect(await messages.getByRole('link', { name: 'ann@example.com' }).getAttribute('href')).toBe(
      'mailto:ann@example.com',
    );
    // A message is not a chat in line: the queue of chats stays empty, and nobody is given it.
    await alex.getByRole('region', { name: 'Queue (0)' }).getByText('No one is waiting.').waitFor();
    // Nobody's page is connected: after a while the visitor is shown as gone.
    await messages.getByText('Gone', { exact: true }).waitFor();
    expect(await pageAxeViolations(alex)).toEqual([]);

    await messages.getByRole('button', { name: 'Answer message from Ann' }).click();
    await alex.getByRole('heading', { name: 'Chat with Ann' }).waitFor();
    await alex
      .getByRole('log', { name: 'Messages' })
      .getByText('Can I pay <b>yearly</b>?')
      .waitFor();
    await alex
      .getByRole('region', { name: 'Messages (0)' })
      .getByText('No messages waiting.')
      .waitFor();
    // The next step is the reply: the cursor is in the box.
    await expect.poll(() => isFocused(alex, 'textbox', 'Message')).toBe(true);
    await alex.keyboard.type('Yes: 10% off.');
    await alex.keyboard.press('Enter');
    await expect
      .poll(async () =>
        (await server.store.listMessages(left.json.conversationId)).map((m) => m.text),
      )
      .toEqual(['Can I pay <b>yearly</b>?', 'Yes: 10% off.']);
    expect(await pageAxeViolations(alex)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('presence and new details arrive live; ending asks first; a later rating is shown', async () => {
    const server = await startHarness();
    h = server;
    await server.addHelper('Alex', 'alex-password');
    const alex = await newPage();
    await signInOnAgentPage(alex, server.url, 'Alex', 'alex-password');
    // Errors from here on.
    const errors = collectErrors(alex);

    const { json } = await server.requestHelp(
      helpRequestBody({ message: { id: 'first-question-1', text: 'Is the tent waterproof?' } }),
    );
    const conversationId = json.conversationId;
    const visitor = await server.visitor(json.visitorToken);
    const queue = alex.getByRole('region', { name: 'Queue (1)' });
    await queue.getByText('Is the tent waterproof?').waitFor();
    await queue.getByText('Online', { exact: true }).waitFor();

    // The visitor switches tabs, and back.
    visitor.emit('visitor:visibility', { conversationId, visible: false });
    await queue.getByText('Away', { exact: true }).waitFor();
    expect(await pageAxeViolations(alex)).toEqual([]);
    visitor.emit('visitor:visibility', { conversationId, visible: true });
    await queue.getByText('Online', { exact: true }).waitFor();

    await queue.getByRole('button', { name: 'Accept' }).click();
    await alex.getByRole('heading', { name: 'Chat with Visitor' }).waitFor();
    const header = alex.locator('help-conversation-view header');
    await header.getByText('Online', { exact: true }).waitFor();

    // The site calls identify() during the chat: the helper sees who it is at once.
    visitor.emit('visitor:identify', {
      conversationId,
      visitor: { name: 'Bea', email: 'bea@example.com' },
    });
    await alex.getByRole('heading', { name: 'Chat with Bea' }).waitFor();
    await alex.getByRole('link', { name: 'bea@example.com' }).waitFor();
    visitor.emit('visitor:visibility', { conversationId, visible: false });
    await header.getByText('Away', { exact: true }).waitFor();

    // Ending asks first; Esc keeps the chat, and the focus where it was.
    await alex.getByRole('button', { name: 'End conversation' }).click();
    await alex.getByRole('group', { name: 'End the chat with Bea?' }).waitFor();
    await expect.poll(() => isFocused(alex, 'button', 'End chat')).toBe(true);
    expect(await pageAxeViolations(alex)).toEqual([]);
    await alex.keyboard.press('Escape');
    await expect.poll(() => isFocused(alex, 'button', 'End conversation')).toBe(true);
    expect((await server.store.getConversation(conversationId))?.status).toBe('assigned');
    await alex.keyboard.press('Enter');
    await expect.poll(() => isFocused(alex, 'button', 'End chat')).toBe(true);
    await alex.keyboard.press('Enter');
    await alex.getByRole('status').getByText('You ended the chat.').waitFor();
    await expect.poll(() => isFocused(alex, 'button', 'Close conversation')).toBe(true);

    // The visitor rates it afterwards.
    const rated = await fetch(`${server.url}/api/ratings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: server.origin,
        authorization: `Bearer ${json.visitorToken}`,
      },
      body: JSON.stringify({ value: 'up', comment: 'Thanks <b>a lot</b>' }),
    });
    expect(rated.status).toBe(200);
    await alex.getByText('Bea rated this chat: Good').waitFor();
    await alex.getByText('Thanks <b>a lot</b>').waitFor();
    expect(await pageAxeViolations(alex)).toEqual([]);

    // History says the same.
    await alex.getByRole('button', { name: 'History' }).click();
    const entry = alex.locator('help-history-entry');
    await entry.getByText('You ended the chat.').waitFor();
    await entry.getByText('Bea rated this chat: Good').waitFor();
    await entry.getByText('Thanks <b>a lot</b>').waitFor();
    expect(await pageAxeViolations(alex)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
