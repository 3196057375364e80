import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConversationSummary } from '../protocol/domain.ts';
import { HelpConversationEvent } from './agent-events.ts';
import { pagePath, safeHref, safeMailto, visitorLabel, waitedText } from './format.ts';
import './presence-status.ts';
import { base, visitorEntries } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.messages;

/**
 * @summary The "Messages" section: what visitors left while no helper was available, oldest
 * first. Nobody is given these automatically; a helper answers one by accepting it.
 * @event help-accept - The helper answers a message.
 */
export class HelpOfflineMessages extends LitElement {
  static override styles = [
    base,
    visitorEntries,
    css`
    span {
      overflow-wrap: anywhere;
    }
  `,
  ];

  /** Waiting messages (`kind: 'message'`), in any order. */
  @property({ attribute: false }) messages: ConversationSummary[] = [];
  /** Re-rendered by the app every few seconds so "how long ago" moves. */
  @property({ attribute: false }) now = new Date();

  override render() {
    // Oldest first: whoever has waited longest for an answer is answered first.
    const oldestFirst = [...this.messages].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return html`<section aria-labelledby="messages-title">
      <h2 id="messages-title">${words.heading(oldestFirst.length)}</h2>
      ${
        oldestFirst.length === 0
          ? html`<p class="muted">${words.empty}</p>`
          : html`<ul>
              ${oldestFirst.map((entry) => this.entry(entry))}
            </ul>`
      }
    </section>`;
  }

  private entry(entry: ConversationSummary) {
    const { details, visitor } = entry;
    const page = safeHref(details.pageUrl);
    const mailto = visitor.email ? safeMailto(visitor.email) : undefined;
    return html`<li>
      <div class="who">
        <h3>${visitorLabel(entry)}</h3>
        <help-presence-status .presence=${entry.presence}></help-presence-status>
      </div>
      ${
        visitor.email
          ? mailto
            ? html`<a href=${mailto}>${visitor.email}</a>`
            : html`<span>${visitor.email}</span>`
          : nothing
      }
      <span class="muted"
        >${words.leftOn} ${details.pageTitle ? `${details.pageTitle} — ` : ''}${
          page
            ? html`<a href=${page} target="_blank" rel="noopener noreferrer">${details.pageUrl}</a>`
            : details.pageUrl
        }
        · <time datetime=${entry.createdAt}>${words.ago(waitedText(entry.createdAt, this.now))}</time></span
      >
      ${entry.firstMessage ? html`<blockquote>${entry.firstMessage}</blockquote>` : nothing}
      <div>
        <button
          type="button"
          @click=${() => this.dispatchEvent(new HelpConversationEvent('help-accept', entry.id))}
        >
          ${words.answer({ ...visitor, page: pagePath(details.pageUrl) })}
        </button>
      </div>
    </li>`;
  }
}

if (!customElements.get('help-offline-messages')) {
  customElements.define('help-offline-messages', HelpOfflineMessages);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-offline-messages': HelpOfflineMessages;
  }
}
