import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { Author, Message } from '../../protocol/domain.ts';

export interface PendingView {
  id: string;
  text: string;
  error?: string;
}

/**
 * @summary A conversation's messages as a live log. Text is rendered as text, never HTML.
 * Shared by the widget and the agent page.
 */
export class HelpMessageList extends LitElement {
  static override styles = css`
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
  `;

  @property({ attribute: false }) messages: Message[] = [];
  @property({ attribute: false }) pending: PendingView[] = [];
  /** Whose view this is: their own messages go right and carry delivery marks. */
  @property() self: Author = 'visitor';
  /** The last message id the other side has read. */
  @property() readUpTo = '';

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('messages') || changed.has('pending')) this.scrollTop = this.scrollHeight;
  }

  override render() {
    const readSeq = this.messages.find((m) => m.id === this.readUpTo)?.seq ?? 0;
    return html`<ol>
      ${this.messages.map(
        (m) => html`<li class=${m.from === this.self ? 'own' : ''}>
          <span class="meta">${m.from === this.self ? 'You' : m.authorName}</span
          ><span class="text">${m.text}</span>
          ${
            m.from === this.self
              ? html`<span class="meta">${m.seq <= readSeq ? 'Read' : 'Delivered'}</span>`
              : nothing
          }
        </li>`,
      )}
      ${this.pending.map(
        (p) => html`<li class="own">
          <span class="meta">You</span><span class="text">${p.text}</span>
          <span class="meta ${p.error ? 'error' : ''}">${p.error ? `Not sent: ${p.error}` : 'Sending…'}</span>
        </li>`,
      )}
    </ol>`;
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
