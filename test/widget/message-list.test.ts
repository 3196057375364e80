/**
 * `<help-message-list>` in real Chromium, in a short column like the chat dialog: the newest
 * message is in view whenever the list is drawn, and a reader who has scrolled up keeps their
 * place and is offered a "New messages" button.
 */
import { html, render } from 'lit';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { Author, Message } from '../../protocol/domain.ts';
import '../../widget/chat/composer.ts';
import '../../widget/chat/message-list.ts';
import type { HelpMessageList, MessageListStrings } from '../../widget/chat/message-list.ts';
import { axeViolations } from '../support/axe.ts';

function message(seq: number, from: Author = seq % 2 ? 'helper' : 'visitor'): Message {
  return {
    id: `m-${seq}`,
    conversationId: 'c-1',
    seq,
    from,
    authorName: from === 'helper' ? 'Alex' : 'Dana',
    text: `Message ${seq}`,
    sentAt: new Date(Date.UTC(2025, 0, 15, 12, 0, seq)).toISOString(),
  };
}

const conversation = (count: number) => Array.from({ length: count }, (_, i) => message(i + 1));

/**
 * A 200 px column like the dialog: a header button, the list (`flex: 1`) and the composer,
 * drawn in one go as the chat panel draws them, so the composer gets its height after the list
 * has first scrolled.
 */
async function mount(messages = conversation(40)): Promise<HelpMessageList> {
  const column = document.createElement('div');
  column.style.cssText = 'display: flex; flex-direction: column; width: 320px; height: 200px';
  document.body.append(column);
  render(
    html`<button type="button">Close</button>
      <help-message-list
        role="log"
        aria-label="Messages"
        part="messages"
        self="visitor"
        style="flex: 1"
        .messages=${messages}
      ></help-message-list>
      <help-composer></help-composer>`,
    column,
  );
  const list = column.querySelector('help-message-list')!;
  await list.updateComplete;
  await frames();
  return list;
}

/** Waits for the browser to draw: resize observers and scroll events have run. */
async function frames(count = 2): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
}

/** Whether the message with this text is wholly inside the list's visible box. */
function inView(list: HelpMessageList, text: string): boolean {
  const item = page.getByRole('listitem').filter({ hasText: new RegExp(`${text}\\b`) });
  const box = item.element().getBoundingClientRect();
  const view = list.getBoundingClientRect();
  const top = view.top + list.clientTop;
  return box.top >= top - 1 && box.bottom <= top + list.clientHeight + 1;
}

const newest = (list: HelpMessageList) => {
  const last = list.messages.at(-1);
  return last ? inView(list, last.text) : false;
};

/** The focused element, looking inside shadow roots (document.activeElement stops at hosts). */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const newMessages = () => page.getByRole('button', { name: 'New messages' });

/** Scrolls to the top the way a reader does, with the mouse wheel. */
async function scrollToTop(list: HelpMessageList): Promise<void> {
  await userEvent.wheel(list, { delta: { y: -100_000 } });
  await expect.poll(() => list.scrollTop).toBe(0);
  await frames();
}

/** The other side writes. */
async function arrive(list: HelpMessageList, from: Author = 'helper'): Promise<void> {
  list.messages = [...list.messages, message(list.messages.length + 1, from)];
  await list.updateComplete;
  await frames();
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('<help-message-list> keeps the newest message in view', () => {
  it('on the first draw, although the composer below it is drawn after it', async () => {
    const list = await mount();
    expect(list.scrollHeight).toBeGreaterThan(list.clientHeight * 3);
    expect(newest(list)).toBe(true);
    expect(inView(list, 'Message 1')).toBe(false);
    await expect.element(newMessages()).not.toBeInTheDocument();
  });

  it('when drawn again: re-attached (the dialog reopened) and shown after being hidden', async () => {
    const list = await mount();
    const column = list.parentElement!;
    list.remove();
    column.insertBefore(list, column.querySelector('help-composer'));
    await frames();
    expect(newest(list)).toBe(true);

    list.style.display = 'none';
    await frames();
    await arrive(list);
    list.style.display = '';
    await frames();
    expect(newest(list)).toBe(true);
  });

  it('when the messages are replaced by a longer conversation (history loaded)', async () => {
    const list = await mount(conversation(3));
    list.messages = conversation(60);
    await list.updateComplete;
    await frames();
    expect(newest(list)).toBe(true);

    // Another conversation, even while scrolled up in this one.
    await scrollToTop(list);
    list.messages = Array.from({ length: 40 }, (_, i) => ({
      ...message(i + 1),
      id: `other-${i + 1}`,
      conversationId: 'c-2',
    }));
    await list.updateComplete;
    await frames();
    expect(newest(list)).toBe(true);
    await expect.element(newMessages()).not.toBeInTheDocument();
  });

  it('when its column grows or shrinks while the reader is at the end', async () => {
    const list = await mount();
    const column = list.parentElement!;
    for (const height of ['320px', '170px', '260px']) {
      column.style.height = height;
      await frames();
      expect(newest(list), height).toBe(true);
    }
    // The composer's text box grows (a longer draft) and takes room from the list.
    const textarea = list.nextElementSibling?.shadowRoot?.querySelector('textarea');
    textarea!.rows = 4;
    await frames();
    expect(newest(list)).toBe(true);
  });

  it('when new messages arrive while the reader is at the end', async () => {
    const list = await mount();
    await arrive(list);
    await arrive(list, 'visitor');
    expect(newest(list)).toBe(true);
    await expect.element(newMessages()).not.toBeInTheDocument();
  });
});

describe('<help-message-list> with a reader who has scrolled up', () => {
  it('keeps their place, offers "New messages", and the button shows the newest and goes', async () => {
    const list = await mount();
    await scrollToTop(list);
    await arrive(list);
    expect(list.scrollTop).toBe(0);
    expect(inView(list, 'Message 1')).toBe(true);
    expect(newest(list)).toBe(false);
    await expect.element(newMessages()).toBeVisible();
    expect(newMessages().element().getAttribute('part')).toBe('new-messages');
    // It floats at the bottom of the list's visible box.
    const button = newMessages().element().getBoundingClientRect();
    const view = list.getBoundingClientRect();
    expect(button.bottom).toBeLessThanOrEqual(view.bottom);
    expect(button.bottom).toBeGreaterThan(view.bottom - 40);

    await arrive(list); // A second one while still up there: still in place.
    expect(list.scrollTop).toBe(0);

    await newMessages().click();
    await expect.poll(() => newest(list)).toBe(true);
    await expect.element(newMessages()).not.toBeInTheDocument();

    // At the end again, the next message is followed.
    await arrive(list);
    expect(newest(list)).toBe(true);
  });

  it('"New messages" by keyboard: Tab reaches it and Enter shows the newest', async () => {
    const list = await mount();
    await scrollToTop(list);
    await arrive(list);
    (page.getByRole('button', { name: 'Close' }).element() as HTMLElement).focus();
    await userEvent.tab();
    expect(focused()).toBe(newMessages().element());
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => newest(list)).toBe(true);
    await expect.element(newMessages()).not.toBeInTheDocument();
    // Focus stays with the messages rather than falling back to the page.
    expect(focused()).toBe(list);
  });

  it('hides "New messages" when the reader scrolls to the end by hand', async () => {
    const list = await mount();
    await scrollToTop(list);
    await arrive(list);
    await expect.element(newMessages()).toBeVisible();
    await userEvent.wheel(list, { delta: { y: 100_000 } });
    await expect.element(newMessages()).not.toBeInTheDocument();
    expect(newest(list)).toBe(true);
  });

  it("scrolls to the reader's own new message, sent or still pending", async () => {
    const list = await mount();
    await scrollToTop(list);
    await arrive(list, 'visitor');
    expect(newest(list)).toBe(true);
    await expect.element(newMessages()).not.toBeInTheDocument();

    await scrollToTop(list);
    list.pending = [{ id: 'p-1', text: 'On its way' }];
    await list.updateComplete;
    await frames();
    expect(inView(list, 'On its way')).toBe(true);
  });
});

describe('<help-message-list> words and accessibility', () => {
  it('says its words through `strings`, as text', async () => {
    const german: MessageListStrings = {
      you: 'Du',
      read: 'Gelesen',
      delivered: 'Zugestellt',
      sending: 'Wird gesendet…',
      notSent: (reason) => `Nicht gesendet: ${reason}`,
      newMessages: 'Neue Nachrichten',
    };
    const list = await mount(conversation(4));
    list.strings = german;
    list.readUpTo = 'm-2';
    list.pending = [
      { id: 'p-1', text: 'Hallo' },
      { id: 'p-2', text: 'Noch da?', error: '<b>offline</b>' },
    ];
    await list.updateComplete;
    const items = page.getByRole('listitem').elements();
    expect(items.map((li) => (li as HTMLElement).innerText.replace(/\s+/g, ' ').trim())).toEqual([
      'Alex Message 1',
      'Du Message 2 Gelesen',
      'Alex Message 3',
      'Du Message 4 Zugestellt',
      'Du Hallo Wird gesendet…',
      'Du Noch da? Nicht gesendet: <b>offline</b>',
    ]);
    expect(list.shadowRoot?.querySelector('b')).toBeNull();
    expect(list.shadowRoot?.textContent).not.toMatch(/\b(You|Read|Delivered|Sending)\b/);

    list.messages = conversation(40);
    await list.updateComplete;
    await frames();
    await scrollToTop(list);
    await arrive(list);
    await expect.element(page.getByRole('button', { name: 'Neue Nachrichten' })).toBeVisible();
  });

  it('has no axe violations with "New messages" shown', async () => {
    const list = await mount();
    list.pending = [{ id: 'p-1', text: 'On its way', error: 'offline' }];
    await list.updateComplete;
    await scrollToTop(list);
    await arrive(list);
    await expect.element(newMessages()).toBeVisible();
    expect(await axeViolations(list.parentElement!)).toEqual([]);
  });
});
