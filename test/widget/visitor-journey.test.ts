/**
 * The visitor is never stuck: odd site data, a failed send, no helper online, another
 * language, the end of a chat, the site's own styling, being viewed. Real Chromium, a real
 * help server, a real agent socket for the helper.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import '../../widget/help-widget.ts';
import type { HelpWidget } from '../../widget/help-widget.ts';
import { ar } from '../../widget/i18n/ar.ts';
import { de } from '../../widget/i18n/de.ts';
import { es } from '../../widget/i18n/es.ts';
import { fr } from '../../widget/i18n/fr.ts';
import { axeViolations } from '../support/axe.ts';

let server: string;
let widget: HelpWidget;

function mount(attributes = ''): HelpWidget {
  const host = document.createElement('div');
  host.innerHTML = `<help-widget server="${server}" ${attributes}></help-widget>`;
  document.body.append(host);
  return host.querySelector('help-widget')!;
}

const button = (name = 'Help') => page.getByRole('button', { name });
const textbox = () => page.getByRole('textbox', { name: 'Message' });

async function ask(text = 'My order is stuck') {
  await button().click();
  await textbox().fill(text);
  await userEvent.keyboard('{Enter}');
}

async function conversationId(): Promise<string> {
  await expect.poll(() => commands.helperConversations(server)).toHaveLength(1);
  return (await commands.helperConversations(server))[0] ?? '';
}

/** An element inside the widget's shadow roots, by its part name. */
function part(name: string): HTMLElement {
  const search = (root: ShadowRoot | Document): HTMLElement | undefined => {
    const found = root.querySelector<HTMLElement>(`[part~="${name}"]`);
    if (found) return found;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot && search(el.shadowRoot);
      if (inner) return inner;
    }
    return undefined;
  };
  const found = widget.shadowRoot && search(widget.shadowRoot);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

beforeEach(async () => {
  localStorage.clear();
  server = (await commands.startHelpServer(location.origin)).url;
});

afterEach(async () => {
  document.body.replaceChildren();
  document.documentElement.lang = 'en';
  localStorage.clear();
  vi.restoreAllMocks();
  await commands.stopHelpServer(server);
});

describe('identify() never blocks help', () => {
  it('takes any email the browser takes, drops what it cannot use with one warning naming it, and still asks for help', async () => {
    await commands.helperOnline(server);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    widget = mount();
    widget.identify({
      name: 42,
      email: 'not an email',
      'bad key': 'x',
      __proto__: 'y',
      plan: 'pro',
    });
    await ask();
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    expect((await commands.storedConversation(server, id))?.visitor).toEqual({
      custom: { plan: 'pro' },
    });
    const told = warn.mock.calls
      .map(([text]) => String(text))
      .filter((t) => t.includes('identify'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/identify\(\) ignored .*bad key.*name.*email/);

    // Later calls reach the helper at once; odd but valid addresses are addresses.
    widget.identify({ name: 'Ann', email: 'ann@localhost' });
    await expect
      .poll(async () => (await commands.storedConversation(server, id))?.visitor)
      .toEqual({ name: 'Ann', email: 'ann@localhost', custom: { plan: 'pro' } });
    widget.identify({ email: 'a@b.c' });
    await expect
      .poll(async () => (await commands.storedConversation(server, id))?.visitor.email)
      .toBe('a@b.c');
  });

  it('says why a send failed in words, keeps the message, and "Try again" works once the cause is gone', async () => {
    // Nothing listens here: the help service cannot be reached.
    widget = mount();
    widget.setAttribute('server', 'http://127.0.0.1:9');
    await ask('Is anyone there?');
    await expect
      .element(
        page.getByText(
          'We could not reach the help service. Check your connection. Please try again.',
        ),
      )
      .toBeVisible();
    await expect
      .element(
        page.getByText('Not sent: We could not reach the help service. Check your connection.'),
      )
      .toBeVisible();
    await commands.helperOnline(server);
    widget.setAttribute('server', server);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    const id = await conversationId();
    expect((await commands.storedMessages(server, id)).map((m) => m.text)).toEqual([
      'Is anyone there?',
    ]);
  });
});

describe('no helper online', () => {
  it('offers "Leave a message" with an email; a helper who comes later answers, and the visitor sees it when back', async () => {
    widget = mount();
    await button().click();
    await expect
      .element(
        page.getByText(
          'No one is online right now. Leave a message and a helper will answer here when they are back.',
        ),
      )
      .toBeVisible();
    const message = page.getByRole('textbox', { name: 'Your message' });
    await expect.poll(() => message.element() === deepFocus()).toBe(true);
    expect(await axeViolations(widget)).toEqual([]);
    await message.fill('Do you ship to Norway?');
    await page
      .getByRole('textbox', { name: 'Email (optional), so we can write back' })
      .fill('ann@localhost');
    await page.getByRole('button', { name: 'Leave a message' }).click();
    await expect
      .element(
        page.getByText(
          'Thanks! Your message is waiting for a helper. Their answer will appear here, or they will write to ann@localhost.',
        ),
      )
      .toBeVisible();
    const id = await conversationId();
    const stored = await commands.storedConversation(server, id);
    expect(stored).toMatchObject({ kind: 'message', status: 'waiting' });
    expect(stored?.visitor.email).toBe('ann@localhost');

    // Alex signs in later: the message waits for him to pick it, and his answer arrives.
    await commands.helperOnline(server);
    expect((await commands.storedConversation(server, id))?.status).toBe('waiting');
    await commands.helperAccept(server, id);
    await commands.helperSend(server, id, 'Yes, we ship to Norway.');
    await expect.element(page.getByText('Yes, we ship to Norway.')).toBeVisible();

    // The visitor comes back another day (a new page load): the answer is there.
    document.body.replaceChildren();
    widget = mount();
    await button().click();
    await expect.element(page.getByText('Yes, we ship to Norway.')).toBeVisible();
  });
});

/** The focused element, looking inside shadow roots. */
function deepFocus(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('in the visitor’s language', () => {
  it.each([
    ['de', de, 'Hilfe'],
    ['fr', fr, 'Aide'],
    ['es', es, 'Ayuda'],
  ] as const)('speaks %s, from the lang attribute', async (lang, words, help) => {
    await commands.helperOnline(server);
    widget = mount(`lang="${lang}"`);
    await button(help).click();
    await expect.element(page.getByRole('dialog', { name: help })).toBeVisible();
    await expect.element(page.getByText(words.greeting)).toBeVisible();
    await page.getByRole('textbox', { name: words.messageLabel }).fill('Hallo');
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByText(words.helperHere('Alex'))).toBeVisible();
    await expect.element(page.getByRole('button', { name: words.endChat })).toBeVisible();
    await expect.element(page.getByRole('button', { name: words.close })).toBeVisible();
    expect(await axeViolations(widget)).toEqual([]);
  });

  it('follows the page’s <html lang> when the widget has none', async () => {
    document.documentElement.lang = 'fr-CA';
    widget = mount();
    await expect.element(button('Aide')).toBeVisible();
  });

  it('lays Arabic out right to left', async () => {
    await commands.helperOnline(server);
    widget = mount('lang="ar"');
    const help = page.getByRole('button', { name: 'مساعدة' });
    await help.click();
    await expect.element(page.getByText(ar.greeting)).toBeVisible();
    const dialog = part('dialog');
    expect(dialog.getAttribute('dir')).toBe('rtl');
    expect(getComputedStyle(dialog).direction).toBe('rtl');
    // Mirrored: the close button is on the left, the title on the right.
    const close = part('close').getBoundingClientRect();
    const title = part('title').getBoundingClientRect();
    expect(close.right).toBeLessThanOrEqual(title.left + 1);
    expect(await axeViolations(widget)).toEqual([]);
  });
});

describe('ending well', () => {
  it('asks before ending, says who ended it, takes a rating and gives the transcript', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await ask('Where is my parcel?');
    const id = await conversationId();
    await commands.helperSend(server, id, 'It left the depot today.');
    await expect.element(page.getByText('It left the depot today.')).toBeVisible();

    const end = page.getByRole('button', { name: 'End chat' });
    await end.click();
    const yes = page.getByRole('button', { name: 'Yes, end chat' });
    await expect.element(yes).toBeVisible();
    await expect.poll(() => deepFocus() === yes.element()).toBe(true);
    // Esc only takes the question back.
    await userEvent.keyboard('{Escape}');
    await expect.element(yes).not.toBeInTheDocument();
    await expect.poll(() => deepFocus() === end.element()).toBe(true);
    expect((await commands.storedConversation(server, id))?.status).not.toBe('ended');

    await end.click();
    await page.getByRole('button', { name: 'Yes, end chat' }).click();
    await expect.element(page.getByText('You ended this chat.')).toBeVisible();
    expect((await commands.storedConversation(server, id))?.endedBy).toBe('visitor');
    expect(await axeViolations(widget)).toEqual([]);

    const up = page.getByRole('button', { name: 'Good, it helped' });
    await up.click();
    await expect.element(up).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('textbox', { name: 'Anything to add? (optional)' }).fill('Quick, thanks');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await expect.element(page.getByText('Thank you for your rating.')).toBeVisible();
    expect((await commands.storedConversation(server, id))?.rating).toMatchObject({
      value: 'up',
      comment: 'Quick, thanks',
    });

    const saved: { name: string; text: Promise<string> }[] = [];
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({ name: this.download, text: fetch(this.href).then((r) => r.text()) });
    });
    await page.getByRole('button', { name: 'Download transcript' }).click();
    expect(saved).toHaveLength(1);
    expect(saved[0]?.name).toMatch(/^help-chat-\d{4}-\d{2}-\d{2}\.txt$/);
    const text = await saved[0]?.text;
    expect(text).toMatch(/\] You: Where is my parcel\?\n/);
    expect(text).toMatch(/\] Alex: It left the depot today\.\n/);
    expect(text).toContain('You ended this chat.');
  });

  it('says so when the helper ends it', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await ask();
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    await commands.helperEnd(server, id);
    await expect.element(page.getByText('Alex ended this chat.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Good, it helped' })).toBeVisible();
  });
});

describe('theming and touch', () => {
  it('lets the page style every part with help-widget::part()', async () => {
    await commands.helperOnline(server);
    const parts = [
      'button',
      'dialog',
      'header',
      'title',
      'close',
      'info',
      'status',
      'messages',
      'new-messages',
      'composer',
      'input',
      'send-button',
      'footer',
      'end-chat',
    ];
    const style = document.createElement('style');
    style.textContent = parts
      .map((name, i) => `help-widget::part(${name}){outline:2px dotted rgb(7, 8, ${i + 1})}`)
      .join('\n');
    document.head.append(style);
    try {
      widget = mount();
      await ask();
      const id = await conversationId();
      for (let i = 1; i <= 12; i++) await commands.helperSend(server, id, `Step ${i}`);
      await expect.element(page.getByText('Step 12')).toBeInTheDocument();
      // Scrolled up when a message comes: "New messages" shows.
      part('messages').scrollTop = 0;
      await commands.helperSend(server, id, 'One more thing');
      await expect.element(page.getByRole('button', { name: 'New messages' })).toBeVisible();
      for (const [i, name] of parts.entries()) {
        expect(getComputedStyle(part(name)).outlineColor, name).toBe(`rgb(7, 8, ${i + 1})`);
      }
    } finally {
      style.remove();
    }
  });

  it('reaches the offline form and the end of a chat too', async () => {
    const style = document.createElement('style');
    style.textContent =
      'help-widget::part(offline-form){outline:2px dotted rgb(9, 9, 1)} help-widget::part(ended){outline:2px dotted rgb(9, 9, 2)} help-widget::part(rating){outline:2px dotted rgb(9, 9, 3)}';
    document.head.append(style);
    try {
      widget = mount();
      await button().click();
      await expect.element(page.getByRole('button', { name: 'Leave a message' })).toBeVisible();
      expect(getComputedStyle(part('offline-form')).outlineColor).toBe('rgb(9, 9, 1)');
      await page.getByRole('textbox', { name: 'Your message' }).fill('Hello?');
      await page.getByRole('button', { name: 'Leave a message' }).click();
      await page.getByRole('button', { name: 'End chat' }).click();
      await page.getByRole('button', { name: 'Yes, end chat' }).click();
      await expect.element(page.getByText('You ended this chat.')).toBeVisible();
      expect(getComputedStyle(part('ended')).outlineColor).toBe('rgb(9, 9, 2)');
      expect(getComputedStyle(part('rating')).outlineColor).toBe('rgb(9, 9, 3)');
    } finally {
      style.remove();
    }
  });

  it('draws a dark dialog with theme="dark", and follows the system with theme="auto"', async () => {
    widget = mount('theme="dark"');
    await button().click();
    await expect.element(page.getByRole('button', { name: 'Leave a message' })).toBeVisible();
    expect(getComputedStyle(part('dialog')).backgroundColor).toBe('rgb(30, 31, 34)');
    widget.setAttribute('theme', 'light');
    expect(getComputedStyle(part('dialog')).backgroundColor).toBe('rgb(255, 255, 255)');
    widget.setAttribute('theme', 'auto');
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    expect(getComputedStyle(part('dialog')).backgroundColor).toBe(
      dark ? 'rgb(30, 31, 34)' : 'rgb(255, 255, 255)',
    );
    expect(await axeViolations(widget)).toEqual([]);
  });

  it('gives a finger 44 px targets on a phone', async () => {
    await commands.helperOnline(server);
    const before = { width: innerWidth, height: innerHeight };
    await page.viewport(375, 700);
    try {
      widget = mount();
      await ask();
      await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
      for (const name of ['Close', 'Send', 'End chat']) {
        const box = page.getByRole('button', { name }).element().getBoundingClientRect();
        expect(box.width, name).toBeGreaterThanOrEqual(44);
        expect(box.height, name).toBeGreaterThanOrEqual(44);
      }
    } finally {
      await page.viewport(before.width, before.height);
    }
  });
});

describe('being viewed', () => {
  it('does not open the dialog when a helper starts following; a small notice with Stop does', async () => {
    await commands.helperOnline(server);
    widget = mount();
    await ask();
    const id = await conversationId();
    await expect.element(page.getByText('Alex is here to help.')).toBeVisible();
    widget.close();
    await commands.helperFollow(server, id);
    await expect.element(page.getByText('Alex is viewing this page.')).toBeVisible();
    expect(widget.hasAttribute('open')).toBe(false);
    expect(await axeViolations(widget)).toEqual([]);
    await page.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.element(page.getByText('Alex is viewing this page.')).not.toBeVisible();
    await expect
      .poll(async () => (await commands.storedConversation(server, id))?.following)
      .toBeUndefined();
  });
});
