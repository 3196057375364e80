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
  it('opens on press with focus in the message box, closes with Esc back to the button, and tells the page', async () => {
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

    await userEvent.keyboard('{Escape}');
    await expect.element(dialog()).not.toBeInTheDocument();
    expect(focused()).toBe(button().element());
    expect(events).toEqual(['help-open:HELP-WIDGET', 'help-close:HELP-WIDGET']);
  });

  it('is honest when no helper is online, and shows the join code and the phone number', async () => {
    widget = mount('phone="+1 555 0100"');
    widget.open();
    await expect
      .element(
        page.getByText(
          'No one is online right now — leave your message and a helper will answer here.',
        ),
      )
      .toBeVisible();
    await expect.element(page.getByText(/^Your help code: \d{3} \d{3} \d{3}$/)).toBeVisible();
    await expect
      .element(page.getByText('Prefer the phone? Call +1 555 0100 and quote your code.'))
      .toBeVisible();
    await expect
      .element(page.getByRole('link', { name: '+1 555 0100' }))
      .toHaveAttribute('href', 'tel:+15550100');
  });

  it('sends with Enter, keeps Shift+Enter as a new line, and shows delivery and read marks', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await button().click();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    const id = await conversationId();

    await textbox().click();
    await userEvent.keyboard('My order{Shift>}{Enter}{/Shift}is stuck');
    await expect.element(textbox()).toHaveValue('My order\nis stuck');
    await userEvent.keyboard('{Enter}');
    await expect.element(textbox()).toHaveValue('');
    await expect.element(page.getByText('Delivered')).toBeVisible();
    const stored = await commands.storedMessages(server, id);
    expect(stored.map((m) => m.text)).toEqual(['My order\nis stuck']);
    await expect.poll(() => commands.helperReceived(server)).toHaveLength(1);

    await commands.helperRead(server, id, stored[0]?.id ?? '');
    await expect.element(page.getByText('Read', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Send' }).click(); // empty: sends nothing
    expect(await commands.storedMessages(server, id)).toHaveLength(1);
  });

  it("shows the helper's typing and messages as text, and fires help-message", async () => {
    await commands.helperOnline(server);
    widget = mount();
    const heard: string[] = [];
    widget.addEventListener('help-message', (e) => heard.push(e.message.text));
    await button().click();
    const id = await conversationId();
    // The widget's socket is connected once it shows who is helping.
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

  it('counts messages that arrive while closed on the button, and clears them on open', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await button().click();
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    widget.close();
    await commands.helperSend(server, id, 'Are you there?');
    await commands.helperSend(server, id, 'I can see your order.');
    await expect.element(page.getByText('2 new messages from your helper')).toBeInTheDocument();
    expect(widget.shadowRoot?.querySelector('.badge')?.textContent).toBe('2');
    await button().click();
    await expect.element(page.getByText('I can see your order.')).toBeVisible();
    expect(widget.shadowRoot?.querySelector<HTMLElement>('.badge')?.hidden).toBe(true);
  });

  it('sends identify() info and the client details with the help request', async () => {
    await commands.helperOnline(server);
    widget = mount();
    widget.identify({ name: 'Dana', email: 'dana@example.com', plan: 'pro', orders: 3 });
    widget.open();
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

  it('ends the chat with "End chat", and the next press starts a new one', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await button().click();
    const first = await conversationId();
    await page.getByRole('button', { name: 'End chat' }).click();
    await expect.element(page.getByText('This chat has ended.')).toBeVisible();
    expect((await commands.storedConversation(server, first))?.status).toBe('ended');
    widget.close();
    await button().click();
    await expect.poll(() => commands.helperConversations(server)).toHaveLength(1);
    expect((await commands.helperConversations(server))[0]).not.toBe(first);
  });

  it('has no axe violations closed, open, and with messages', async () => {
    await commands.helperOnline(server);
    widget = mount();
    expect(await axeViolations(widget)).toEqual([]);
    await button().click();
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    await commands.helperSend(server, id, 'Hello, I am Alex.');
    await expect.element(page.getByText('Hello, I am Alex.')).toBeVisible();
    expect(await axeViolations(widget)).toEqual([]);
  });
});
