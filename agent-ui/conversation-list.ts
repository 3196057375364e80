import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConversationSummary } from '../protocol/domain.ts';
import { HelpConversationEvent } from './agent-events.ts';
import { visitorLabel } from './format.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.conversations;

export interface ConversationItem {
  summary: ConversationSummary;
  unread: number;
}

/**
 * @summary The helper's own conversations, with unread counts.
 * @event help-select - The helper opens one.
 */
export class HelpConversationList extends LitElement {
  static override styles = [
    base,
    css`
      button {
        width: 100%;
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        text-align: left;
        background: #fff;
        color: #1d1d1f;
        border-color: #d0d4da;
        margin-bottom: 0.3rem;
      }
      button[aria-current='true'] {
        border-color: #1f5fd1;
        box-shadow: inset 4px 0 0 #1f5fd1;
      }
      .title {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .unread {
        background: #c8102e;
        color: #fff;
        border-radius: 0.7rem;
        padding: 0 0.45rem;
        font-size: 0.8rem;
      }
    `,
  ];

  @property({ attribute: false }) items: ConversationItem[] = [];
  @property() selected = '';

  override render() {
    if (this.items.length === 0) return html`<p class="muted">${words.empty}</p>`;
    return html`<ul>
      ${this.items.map(({ summary, unread }) => {
        const who = [visitorLabel(summary), summary.details.pageTitle].filter(Boolean).join(' · ');
        const ended = summary.status === 'ended' ? words.ended : '';
        return html`<li>
          <button
            type="button"
            aria-current=${summary.id === this.selected}
            @click=${() => this.dispatchEvent(new HelpConversationEvent('help-select', summary.id))}
          >
            <span class="title">${who}${ended}</span>
            ${
              unread
                ? html`<span class="unread"
                  >${unread}<span class="sr">${words.unread}</span></span
                >`
                : nothing
            }
          </button>
        </li>`;
      })}
    </ul>`;
  }
}

if (!customElements.get('help-conversation-list')) {
  customElements.define('help-conversation-list', HelpConversationList);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-conversation-list': HelpConversationList;
  }
}
