import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import '../../widget/help-widget.ts';
import type { HelpWidget } from '../../widget/help-widget.ts';
import { axeViolations } from '../support/axe.ts';

let server: string;
let widget: HelpWidget;

function mount(attributes = ''): HelpWidget {
  const host = document.createElement('div');
  host.innerHTML = `<help-widget server="${server}" ${attributes}></help-widget>`;
  document.body.append(host);
  return host.querySelector('help-widget')!;
}

const button = () => page.getByRole('button', { name: 'Help' });
const dialog = () => page.getByRole('dialog', { name: 'Help' });
const textbox = () => page.getByRole('textbox', { name: 'Message' });

/** The visitor opens the dialog and asks with their first message. */
async function ask(text = 'My order is stuck') {
  await button().click();
  await textbox().fill(text);
  await userEvent.keyboard('{Enter}');
}

/** The focused element, looking inside shadow roots (document.activeElement stops at hosts). */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The conversation the widget opened, once the server has assigned it to Alex. */
async function conversationId(): Promise<string> {
  await expect.poll(() => commands.helperConversations(server)).toHaveLength(1);
  return (await commands.helperConversations(server))[0] ?? '';
}

beforeEach(async () => {
  localStorage.clear();
  server = (await commands.startHelpServer(location.origin)).url;
});

afterEach(async () => {
  document.body.replaceChildren();
  localStorage.clear();
  await commands.stopHelpServer(server);
});

describe('chat dialog', () => {
  it('opens on press with focus in the message box, asks nothing of helpers until the first message, and closes with Esc back to the button', async () => {
    await commands.helperOnline(server);
    widget = mount();
    const events: string[] = [];
    for (const name of ['help-open', 'help-close'] as const) {
      document.addEventListener(name, (e) =>
        events.push(`${e.type}:${(e.target as Element).tagName}`),
      );
    }
    await button().click();
    await expect.element(dialog()).toBeVisible();
    await expect.poll(() => focused() !== null && focused() === textbox().query()).toBe(true);
    expect(widget.hasAttribute('open')).toBe(true);
    await expect
      .element(
        page.getByText('Hi! How can we help? Write your question and a person will answer here.'),
      )
      .toBeVisible();
    // Opening is not asking: no helper is alerted, no conversation waits in the queue.
    expect(await commands.helperConversations(server)).toEqual([]);

    await userEvent.keyboard('{Escape}');
    await expect.element(dialog()).not.toBeInTheDocument();
    expect(focused()).toBe(button().element());
    expect(events).toEqual(['help-open:HELP-WIDGET', 'help-close:HELP-WIDGET']);
    expect(await commands.helperConversations(server)).toEqual([]);
  });

  it('greets with the site’s words and says how long a person usually takes', async () => {
    await commands.helperOnline(server);
    widget = mount('greeting="Hello from the shop! Ask us anything."');
    await ask('First visitor');
    const id = await conversationId();
    await commands.helperSend(server, id, 'Hi, I am Alex.');
    await expect.element(page.getByText('Hi, I am Alex.')).toBeVisible();
    // The next visitor on this page (a new conversation) is told the usual wait.
    await page.getByRole('button', { name: 'End chat' }).click();
    await page.getByRole('button', { name: 'Yes, end chat' }).click();
    await page.getByRole('button', { name: 'Start a new chat' }).click();
    await expect.element(page.getByText('Hello from the shop! Ask us anything.')).toBeVisible();
    await expect.element(page.getByText('A person usually answers within a minute.')).toBeVisible();
  });

  it('asks for help with the first message: sends with Enter, keeps Shift+Enter as a new line, and shows delivery and read marks', async () => {
    await commands.helperOnline(server);
    widget = mount('phone="+1 555 0100"');
    await button().click();
    await textbox().click();
    await userEvent.keyboard('My order{Shift>}{Enter}{/Shift}is stuck');
    await expect.element(textbox()).toHaveValue('My order\nis stuck');
    await userEvent.keyboard('{Enter}');
    await expect.element(textbox()).toHaveValue('');
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    const id = await conversationId();
    await expect.element(page.getByText('Delivered')).toBeVisible();
    const stored = await commands.storedMessages(server, id);
    expect(stored.map((m) => m.text)).toEqual(['My order\nis stuck']);
    expect((await commands.storedConversation(server, id))?.firstMessage).toBe(
      'My order\nis stuck',
    );
    await expect.element(page.getByText(/^Your help code: \d{3} \d{3} \d{3}$/)).toBeVisible();
    await expect
      .element(page.getByRole('link', { name: '+1 555 0100' }))
      .toHaveAttribute('href', 'tel:+15550100');

    await commands.helperRead(server, id, stored[0]?.id ?? '');
    await expect.element(page.getByText('Read', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Send' }).click(); // empty: sends nothing
    await textbox().click();
    await userEvent.keyboard('And it says paid');
    await userEvent.keyboard('{Enter}');
    await expect.poll(async () => (await commands.storedMessages(server, id)).length).toBe(2);
  });

  it("shows the helper's typing and messages as text, and fires help-message", async () => {
    await commands.helperOnline(server);
    widget = mount();
    const heard: string[] = [];
    widget.addEventListener('help-message', (e) => heard.push(e.message.text));
    await ask();
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();

    await commands.helperTyping(server, id, true);
    await expect.element(page.getByText('Alex is typing…')).toBeVisible();
    const attack = '<img src=x onerror=alert(1)>';
    await commands.helperSend(server, id, attack);
    await expect.element(page.getByText(attack)).toBeVisible();
    await expect.element(page.getByText('Alex is typing…')).not.toBeInTheDocument();
    expect(
      widget.shadowRoot?.querySelector('help-chat-panel')?.shadowRoot?.querySelector('img'),
    ).toBeNull();
    expect(heard).toEqual([attack]);
  });

  it('counts messages that arrive while closed on the button, and shows the newest on reopening', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await ask();
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    for (let i = 1; i <= 12; i++) await commands.helperSend(server, id, `Line ${i} of the answer`);
    await expect.element(page.getByText('Line 12 of the answer')).toBeInTheDocument();
    widget.close();
    await commands.helperSend(server, id, 'Are you there?');
    await commands.helperSend(server, id, 'I can see your order.');
    await expect.element(page.getByText('2 new messages from your helper')).toBeInTheDocument();
    expect(widget.shadowRoot?.querySelector('.badge')?.textContent).toBe('2');
    await button().click();
    const newest = page.getByText('I can see your order.');
    await expect.element(newest).toBeVisible();
    // In view, not below the fold of the message list.
    const list = page.getByRole('log', { name: 'Messages' }).element().getBoundingClientRect();
    await expect
      .poll(() => newest.element().getBoundingClientRect().bottom <= list.bottom + 1)
      .toBe(true);
    expect(widget.shadowRoot?.querySelector<HTMLElement>('.badge')?.hidden).toBe(true);
  });

  it('sends identify() info and the client details with the help request', async () => {
    await commands.helperOnline(server);
    widget = mount();
    widget.identify({ name: 'Dana', email: 'dana@example.com', plan: 'pro', orders: 3 });
    await ask();
    const id = await conversationId();
    const stored = await commands.storedConversation(server, id);
    expect(stored?.visitor).toEqual({
      name: 'Dana',
      email: 'dana@example.com',
      custom: { plan: 'pro', orders: '3' },
    });
    expect(stored?.details).toMatchObject({
      pageUrl: location.href,
      viewport: { width: innerWidth, height: innerHeight },
      languages: [...navigator.languages],
      agent: { os: { name: 'Linux' }, engine: { name: 'Blink' } },
    });
    expect(stored?.details.clientHints?.platform).toBe('Linux');
  });

  it('has no axe violations closed, open, and with messages', async () => {
    await commands.helperOnline(server);
    widget = mount();
    expect(await axeViolations(widget)).toEqual([]);
    await button().click();
    await expect.element(textbox()).toBeVisible();
    expect(await axeViolations(widget)).toEqual([]);
    await userEvent.keyboard('Hello');
    await userEvent.keyboard('{Enter}');
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    await commands.helperSend(server, id, 'Hello, I am Alex.');
    await expect.element(page.getByText('Hello, I am Alex.')).toBeVisible();
    expect(await axeViolations(widget)).toEqual([]);
  });
});

describe('mirror mode, the visitor’s side', () => {
  it('asks in the visitor’s language, opens the dialog for it with focus on the answer, and "Nicht jetzt" shares nothing', async () => {
    await commands.helperOnline(server);
    widget = mount('lang="de"');
    await page.getByRole('button', { name: 'Hilfe' }).click();
    await page.getByRole('textbox', { name: 'Nachricht' }).fill('Hallo');
    await userEvent.keyboard('{Enter}');
    const id = await conversationId();
    // The visitor closed the dialog; the question opens it again.
    await userEvent.keyboard('{Escape}');
    await expect.poll(() => widget.hasAttribute('open')).toBe(false);
    await commands.helperMirror(server, id);
    await expect.poll(() => widget.hasAttribute('open')).toBe(true);
    await expect
      .element(page.getByText(/Alex möchte diese Seite sehen\. Geteilt wird nur/))
      .toBeVisible();
    await expect
      .element(page.getByRole('group', { name: /^Alex möchte diese Seite sehen/ }))
      .toBeVisible();
    const share = page.getByRole('button', { name: 'Diese Seite teilen' });
    await expect.poll(() => focused()).toBe(share.element());
    expect(await axeViolations(widget)).toEqual([]);
    await page.getByRole('button', { name: 'Jetzt nicht' }).click();
    await expect.poll(() => commands.mirrorState(server, id)).toBe('none');
    await expect.element(share).not.toBeInTheDocument();
  });

  it('"Share this page" says who sees it; Esc stops sharing at once', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await ask();
    const id = await conversationId();
    await commands.helperMirror(server, id);
    await page.getByRole('button', { name: 'Share this page' }).click();
    await expect.element(page.getByText('Alex can see this page.')).toBeVisible();
    await expect.poll(() => commands.mirrorState(server, id)).toBe('sharing');
    expect(await axeViolations(widget)).toEqual([]);
    await userEvent.keyboard('{Escape}');
    await expect.poll(() => commands.mirrorState(server, id)).toBe('none');
    await expect.element(page.getByText('Alex can see this page.')).not.toBeInTheDocument();
  });
});
