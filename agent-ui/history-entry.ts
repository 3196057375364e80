import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { HistoryEntry } from '../protocol/domain.ts';
import './desk-messages.ts';
import { visitorLabel } from './format.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';
import './visitor-rating.ts';

const words = strings.history;

/**
 * @summary One ended conversation in the helper's history: who and when, how it ended, the
 * visitor's rating, the transcript on demand and a download of it.
 */
export class HelpHistoryEntry extends LitElement {
  static override styles = [
    base,
    css`
      article {
        border: 1px solid #d0d4da;
        border-radius: 0.6rem;
        margin-bottom: 0.75rem;
      }
      summary {
        padding: 0.5rem 0.75rem;
        cursor: pointer;
      }
      .outcome,
      .actions {
        padding: 0 0.75rem 0.75rem;
      }
      .outcome p {
        margin: 0 0 0.25rem;
      }
    `,
  ];

  @property({ attribute: false }) entry: HistoryEntry | undefined;

  override render() {
    const entry = this.entry;
    if (!entry) return nothing;
    const name = visitorLabel(entry);
    return html`<article>
      <details>
        <summary>${words.summary(
          name,
          new Date(entry.endedAt).toLocaleString(),
          entry.messageCount,
        )}</summary>
        <help-desk-messages
          self="helper"
          selfName=${entry.helperName}
          visitorName=${name}
          .messages=${entry.messages}
        ></help-desk-messages>
      </details>
      ${
        entry.endedBy || entry.rating
          ? html`<div class="outcome">
              ${entry.endedBy ? html`<p>${strings.outcome.endedBy(entry.endedBy, name)}</p>` : nothing}
              <help-visitor-rating .rating=${entry.rating} .visitorName=${name}></help-visitor-rating>
            </div>`
          : nothing
      }
      <div class="actions">
        <a href="/api/agent/history/${entry.id}/transcript" download>${words.download}</a>
      </div>
    </article>`;
  }
}

if (!customElements.get('help-history-entry')) {
  customElements.define('help-history-entry', HelpHistoryEntry);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-history-entry': HelpHistoryEntry;
  }
}
