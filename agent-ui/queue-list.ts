import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConversationSummary } from '../protocol/domain.ts';
import { HelpConversationEvent } from './agent-events.ts';
import { browserText, safeHref, visitorLabel, visitorTime, waitedText } from './format.ts';
import './presence-status.ts';
import { base, visitorEntries } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.queue;

/** The page's path ("/checkout"), which says where; the whole address when it has none. */
function pagePath(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.pathname : url;
  } catch {
    return url;
  }
}

/**
 * A held Enter or Space repeats: after the first accept the next button moves up under the
 * focus, and a repeat would take it too. Only a fresh press accepts.
 */
function ignoreHeldKey(event: KeyboardEvent): void {
  if (event.repeat && (event.key === 'Enter' || event.key === ' ')) event.preventDefault();
}

/**
 * @summary Waiting chats, in queue order, with what a helper needs to pick one. (Messages
 * left for later have their own list: `<help-offline-messages>`.)
 * @event help-accept - The helper accepts a request.
 */
export class HelpQueueList extends LitElement {
  static override styles = [base, visitorEntries];

  @property({ attribute: false }) queue: ConversationSummary[] = [];
  /** Re-rendered by the app every few seconds so waiting times move. */
  @property({ attribute: false }) now = new Date();

  override render() {
    if (this.queue.length === 0) return html`<p class="muted">${words.empty}</p>`;
    return html`<ul>
      ${this.queue.map((entry) => this.entry(entry))}
    </ul>`;
  }

  /** "en-GB · their time 21:00 · waiting 7 min · priority 2", priority only when set. */
  private facts({ details, createdAt, priority }: ConversationSummary): string {
    return [
      details.languages[0] ?? words.languageUnknown,
      words.theirTime(visitorTime(details.timezone, this.now)),
      words.waiting(waitedText(createdAt, this.now)),
      priority ? words.priority(priority) : '',
    ]
      .filter(Boolean)
      .join(' · ');
  }

  private entry(entry: ConversationSummary) {
    const { details } = entry;
    const href = safeHref(details.pageUrl);
    const heading = `queue-${entry.id}`;
    return html`<li>
      <h3 id=${heading}>${details.pageTitle || details.pageUrl}</h3>
      ${href ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${details.pageUrl}</a>` : html`<span>${details.pageUrl}</span>`}
      <span class="muted">${browserText(details)}</span>
      <span class="muted">${this.facts(entry)}</span>
      ${html`<div class="who">
          <span>${visitorLabel(entry)}</span>
          ${
            entry.presence
              ? html`<help-presence-status .presence=${entry.presence}></help-presence-status>`
              : nothing
          }
        </div>`}
      ${entry.firstMessage ? html`<blockquote>${entry.firstMessage}</blockquote>` : nothing}
      <div>
        <button
          type="button"
          aria-label=${words.acceptNamed(
            visitorLabel(entry),
            pagePath(details.pageUrl),
            waitedText(entry.createdAt, this.now),
          )}
          aria-describedby=${heading}
          @keydown=${ignoreHeldKey}
          @click=${() => this.dispatchEvent(new HelpConversationEvent('help-accept', entry.id))}
        >
          ${words.accept}
        </button>
      </div>
    </li>`;
  }
}

if (!customElements.get('help-queue-list')) customElements.define('help-queue-list', HelpQueueList);

declare global {
  interface HTMLElementTagNameMap {
    'help-queue-list': HelpQueueList;
  }
}
