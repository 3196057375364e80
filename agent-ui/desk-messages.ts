import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { Message } from '../protocol/domain.ts';
import { HelpMessageList } from '../widget/chat/message-list.ts';
import { avatarColour, avatarHue, initials, linkParts } from './message-text.ts';
import { srOnly } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.transcript;

/**
 * @summary The widget's message list as the desk shows it: each message with its author's
 * initials, when it was sent (relative, the exact time on hover and for screen readers),
 * web addresses as links that open in a new tab, and internal notes marked as notes.
 * Scrolling, "New messages" and read marks are the widget's list's own.
 */
export class HelpDeskMessages extends HelpMessageList {
  static override styles = [
    HelpMessageList.styles,
    srOnly,
    css`
      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.15rem 0.4rem;
      }
      .avatar {
        display: inline-grid;
        place-items: center;
        width: 1.6rem;
        height: 1.6rem;
        border-radius: 50%;
        color: #fff;
        font-size: 0.7rem;
        font-weight: 700;
      }
      time {
        opacity: 0.9;
      }
      a {
        color: inherit;
        text-decoration: underline;
      }
      li.note {
        justify-self: end;
        background: #fff4c2;
        color: #1d1d1f;
        border: 1px dashed #8a6d00;
      }
    `,
  ];

  /**
   * The helper reading: only their messages say "You". A colleague's (before a transfer or
   * takeover) are on the helpers' side too, under their own name.
   */
  @property() selfName = '';
  /**
   * What the desk calls the visitor ("Ann", "Visitor 4821"): their messages go under it, not
   * under the name their browser sent with each message, which for an anonymous visitor is
   * just "Visitor", and from before identify() is not their name.
   */
  @property() visitorName = '';
  /** The desk's clock: relative times move on with it. */
  @property({ attribute: false }) now = new Date();

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Colours through the CSSOM: the agent page's CSP allows no inline style attribute.
    for (const avatar of this.renderRoot.querySelectorAll<HTMLElement>('.avatar')) {
      avatar.style.background = avatarColour(Number(avatar.dataset.hue));
    }
  }

  #when(sentAt: string): TemplateResult {
    const at = new Date(sentAt);
    const minutes = Math.floor((this.now.getTime() - at.getTime()) / 60_000);
    const relative =
      minutes < 1
        ? words.justNow
        : minutes < 60
          ? words.minutesAgo(minutes)
          : at.toLocaleString(
              [],
              minutes < 24 * 60
                ? { timeStyle: 'short' }
                : { dateStyle: 'medium', timeStyle: 'short' },
            );
    const exact = at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' });
    return html`<time datetime=${sentAt} title=${exact}
      ><span aria-hidden="true">${relative}</span><span class="sr">${exact}</span></time
    >`;
  }

  protected override renderMessage(m: Message, readSeq: number): TemplateResult {
    const own = m.from === this.self;
    const mine = own && (!this.selfName || m.authorName === this.selfName);
    const author = m.from === 'visitor' && this.visitorName ? this.visitorName : m.authorName;
    const name = mine ? this.strings.you : author;
    const text = linkParts(m.text).map((part) =>
      part.href
        ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer">${part.text}</a>`
        : part.text,
    );
    return html`<li class=${m.internal ? 'note' : own ? 'own' : ''}>
      <span class="meta"
        ><span class="avatar" aria-hidden="true" data-hue=${avatarHue(author)}
          >${initials(author)}</span
        ><span>${name}</span>${m.internal ? html`<strong>${words.internalNote}</strong>` : nothing}
        ${this.#when(m.sentAt)}</span
      ><span class="text">${text}</span>
      ${
        mine && !m.internal
          ? html`<span class="meta">${m.seq <= readSeq ? this.strings.read : this.strings.delivered}</span>`
          : nothing
      }
    </li>`;
  }
}

if (!customElements.get('help-desk-messages')) {
  customElements.define('help-desk-messages', HelpDeskMessages);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-desk-messages': HelpDeskMessages;
  }
}
