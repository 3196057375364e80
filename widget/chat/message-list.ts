import {
  type CSSResultGroup,
  css,
  html,
  LitElement,
  nothing,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Author, Message } from '../../protocol/domain.ts';
import { type Catalogue, en } from '../i18n/en.ts';

export interface PendingView {
  id: string;
  text: string;
  error?: string;
}

/** The list's words; the default is English. */
export type MessageListStrings = Pick<
  Catalogue,
  'you' | 'read' | 'delivered' | 'sending' | 'notSent' | 'newMessages'
>;

/** Closer to the end than this (CSS px, about a line) counts as reading the newest message. */
const NEAR_END = 24;

/**
 * @summary A conversation's messages as a live log. Text is rendered as text, never HTML.
 * Shared by the widget and the agent page.
 *
 * The newest message stays in view while the reader is at the end: on the first draw, when the
 * messages are replaced, when the element is attached or shown again, and whenever its own
 * height or its content's height changes (measured with a `ResizeObserver`: the composer and
 * the status lines around it are often drawn after it). A reader who has scrolled up keeps
 * their place; the other side's new messages then show a "New messages" button.
 *
 * @csspart new-messages - The "New messages" button.
 */
export class HelpMessageList extends LitElement {
  static override styles: CSSResultGroup = css`
    :host {
      display: block;
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0.75rem;
      display: grid;
      gap: 0.5rem;
    }
    li {
      max-width: 85%;
      justify-self: start;
      padding: 0.45rem 0.7rem;
      border-radius: var(--help-radius, 0.9rem);
      background: var(--help-other-bubble, #eef0f3);
      color: var(--help-text, #1d1d1f);
      overflow-wrap: anywhere;
    }
    /* Only the message keeps its line breaks; the template's own whitespace must not show. */
    .text {
      white-space: pre-wrap;
    }
    li.own {
      justify-self: end;
      background: var(--help-accent, #1f5fd1);
      color: var(--help-on-accent, #fff);
    }
    /* Full colour, not faded: small text on the accent needs its whole contrast. */
    .meta {
      display: block;
      font-size: 0.75em;
    }
    .error {
      color: inherit;
      font-weight: 600;
    }
    /* Sticks to the bottom of the visible part and takes no room, so it never moves the end. */
    .jump {
      position: sticky;
      bottom: 0;
      height: 0;
    }
    .jump button {
      position: absolute;
      bottom: 0.5rem;
      left: 0;
      right: 0;
      width: max-content;
      margin-inline: auto;
      font: inherit;
      font-size: 0.85rem;
      padding: 0.3rem 0.8rem;
      border: 0;
      border-radius: 1rem;
      background: var(--help-accent, #1f5fd1);
      color: var(--help-on-accent, #fff);
      box-shadow: 0 2px 8px rgb(0 0 0 / 25%);
      cursor: pointer;
    }
    :focus-visible {
      outline: 3px solid var(--help-focus, #ffbf47);
      outline-offset: 2px;
    }
  `;

  @property({ attribute: false }) messages: Message[] = [];
  @property({ attribute: false }) pending: PendingView[] = [];
  /** Whose view this is: their own messages go right and carry delivery marks. */
  @property() self: Author = 'visitor';
  /** The last message id the other side has read. */
  @property() readUpTo = '';
  /** The words, in the page's language. */
  @property({ attribute: false }) strings: MessageListStrings = en;

  /** The other side wrote while the reader was scrolled up. */
  @state() private unseen = false;

  @query('ol') private content?: HTMLOListElement;
  @query('.jump button') private jumpButton!: HTMLButtonElement | null;

  /** The reader is at the newest message: keep them there. */
  #stick = true;
  /**
   * The last `scrollTop` known to be at the end, put there by this element or by the reader.
   * Away from the end but still here, the layout moved (the list got shorter), not the reader.
   */
  #endTop = 0;
  /** A smooth scroll to the end is under way: its steps are not the reader's. */
  #smooth = false;
  /** The host's last measured height: 0 while detached or hidden. */
  #height = 0;
  /** The button had focus when it went: give focus to the log, not to the page. */
  #refocus = false;
  readonly #resizes = new ResizeObserver((entries) => this.#resized(entries));

  constructor() {
    super();
    this.addEventListener('scroll', () => this.#scrolled(), { passive: true });
    this.addEventListener('scrollend', () => {
      this.#smooth = false;
      this.#scrolled();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resizes.observe(this);
    if (this.content) this.#resizes.observe(this.content);
    if (this.hasUpdated) {
      // Detaching lost the scroll position: shown again, the list opens at the newest message.
      this.#toEnd();
      this.#scrollToEnd();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizes.disconnect();
    this.#height = 0;
    this.#smooth = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('messages') && !changed.has('pending')) return;
    // A scroll the browser has not reported yet still counts.
    this.#follow();
    const before: Message[] = changed.has('messages')
      ? (changed.get('messages') ?? [])
      : this.messages;
    const pendingBefore: PendingView[] = changed.has('pending')
      ? (changed.get('pending') ?? [])
      : this.pending;
    const known = new Set(before.map((m) => m.id));
    const arrived = this.messages.filter((m) => !known.has(m.id));
    const last = before.at(-1);
    const redrawn =
      !last ||
      before[0]?.id !== this.messages[0]?.id ||
      !this.messages.some((m) => m.id === last.id);
    const waiting = new Set(pendingBefore.map((p) => p.id));
    const ownNew =
      arrived.some((m) => m.from === this.self) || this.pending.some((p) => !waiting.has(p.id));
    if (redrawn || ownNew) this.#toEnd();
    else if (arrived.length > 0 && !this.#stick) this.unseen = true;
  }

  protected override firstUpdated(): void {
    if (this.content) this.#resizes.observe(this.content);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('messages') || changed.has('pending')) && this.#stick) this.#scrollToEnd();
    if (this.#refocus) {
      this.#refocus = false;
      this.focus({ preventScroll: true });
    }
  }

  /** The reader reached the end, or is sent there: follow new messages, drop the button. */
  #toEnd(): void {
    this.#stick = true;
    if (this.unseen) {
      const button = this.jumpButton;
      this.#refocus = !!button && this.shadowRoot?.activeElement === button;
      this.unseen = false;
    }
  }

  /** Works out from the position whether the reader is at the end or has scrolled away. */
  #follow(): void {
    const gap = this.scrollHeight - this.clientHeight - this.scrollTop;
    if (gap <= NEAR_END) {
      this.#endTop = this.scrollTop;
      this.#toEnd();
    } else if (!this.#smooth && Math.abs(this.scrollTop - this.#endTop) >= 1) this.#stick = false;
  }

  #scrolled(): void {
    if (this.#height > 0) this.#follow();
  }

  #resized(entries: ResizeObserverEntry[]): void {
    for (const entry of entries) {
      if (entry.target !== this) continue;
      const height = entry.borderBoxSize[0]?.blockSize ?? this.offsetHeight;
      if (this.#height === 0 && height > 0) this.#toEnd(); // Shown (again).
      this.#height = height;
    }
    if (this.#stick) this.#scrollToEnd();
  }

  #scrollToEnd(smooth = false): void {
    if (smooth) {
      this.#smooth = true;
      this.scrollTo({ top: this.scrollHeight, behavior: 'smooth' });
      return;
    }
    this.#smooth = false;
    this.scrollTop = this.scrollHeight;
    this.#endTop = this.scrollTop;
  }

  #showNewest(): void {
    this.#stick = true;
    const gap = this.scrollHeight - this.clientHeight - this.scrollTop;
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.#scrollToEnd(!reduced && gap > 1);
    if (!this.#smooth) this.#follow();
  }

  /** One stored message as a list item; the agent page's list draws more (time, links). */
  protected renderMessage(m: Message, readSeq: number): TemplateResult {
    const s = this.strings;
    return html`<li class=${m.from === this.self ? 'own' : ''}>
      <span class="meta">${m.from === this.self ? s.you : m.authorName}</span
      ><span class="text">${m.text}</span>
      ${
        m.from === this.self
          ? html`<span class="meta">${m.seq <= readSeq ? s.read : s.delivered}</span>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const s = this.strings;
    const readSeq = this.messages.find((m) => m.id === this.readUpTo)?.seq ?? 0;
    return html`<ol>
      ${this.messages.map((m) => this.renderMessage(m, readSeq))}
      ${this.pending.map(
        (p) => html`<li class="own">
          <span class="meta">${s.you}</span><span class="text">${p.text}</span>
          <span class="meta ${p.error ? 'error' : ''}">${p.error ? s.notSent(p.error) : s.sending}</span>
        </li>`,
      )}
    </ol>
    ${
      this.unseen
        ? html`<div class="jump">
          <button type="button" part="new-messages" @click=${this.#showNewest}>
            ${s.newMessages}
          </button>
        </div>`
        : nothing
    }`;
  }
}

if (!customElements.get('help-message-list')) {
  customElements.define('help-message-list', HelpMessageList);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-message-list': HelpMessageList;
  }
}
