import { css, html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Rating } from '../../protocol/domain.ts';
import { type Catalogue, en } from '../i18n/en.ts';

/** The visitor rated the chat. */
export class HelpRateEvent extends Event {
  readonly value: Rating['value'];
  readonly comment: string;
  constructor(value: Rating['value'], comment: string) {
    super('help-rate', { bubbles: true, composed: true });
    this.value = value;
    this.comment = comment;
  }
}

/**
 * @summary The end of a chat: who ended it, a rating (thumbs up or down and a comment), the
 * transcript to keep, and a new chat.
 * @event help-rate - The visitor sent a rating.
 * @event help-download-transcript - The visitor wants the transcript as a file.
 * @event help-restart - The visitor starts a new chat.
 * @csspart ended - The whole block.
 */
export class HelpChatEnded extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      gap: 0.5rem;
      padding: 0.5rem 0.75rem 0.75rem;
      border-top: 1px solid #d0d4da;
    }
    p {
      margin: 0;
    }
    fieldset {
      margin: 0;
      padding: 0;
      border: 0;
      display: grid;
      gap: 0.4rem;
    }
    legend {
      padding: 0;
      margin-bottom: 0.3rem;
      font-weight: 600;
    }
    .thumbs {
      display: flex;
      gap: 0.5rem;
    }
    button {
      font: inherit;
      min-height: 2.75rem;
      min-width: 2.75rem;
      padding: 0 0.8rem;
      border: 1px solid currentColor;
      border-radius: 0.4rem;
      background: none;
      color: inherit;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: var(--help-accent, #1f5fd1);
      color: var(--help-on-accent, #fff);
      border-color: transparent;
    }
    textarea {
      font: inherit;
      padding: 0.4rem;
      border: 1px solid #8a929c;
      border-radius: 0.4rem;
      background: var(--help-surface, #fff);
      color: inherit;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    :focus-visible {
      outline: 3px solid var(--help-focus, #ffbf47);
    }
  `;

  @property({ attribute: false }) strings: Catalogue = en;
  /** Who ended it, in words. */
  @property() ending = '';
  @property({ attribute: false }) rating: Rating | undefined;
  /** Whether this visitor may still rate (they had the chat on this page). */
  @property({ type: Boolean }) canRate = false;
  @state() private choice: Rating['value'] | undefined;
  @state() private failed = false;
  @query('textarea') private comment?: HTMLTextAreaElement;

  /** A rating the server refused (too late, offline): said, and the form stays. */
  refused(): void {
    this.failed = true;
  }

  private send(): void {
    if (!this.choice) return;
    this.failed = false;
    this.dispatchEvent(new HelpRateEvent(this.choice, this.comment?.value ?? ''));
  }

  private rateForm() {
    const s = this.strings;
    const thumb = (value: Rating['value'], icon: string, name: string) =>
      html`<button
        type="button"
        aria-label=${name}
        aria-pressed=${String(this.choice === value)}
        @click=${() => {
          this.choice = value;
        }}
      >
        <span aria-hidden="true">${icon}</span>
      </button>`;
    return html`<fieldset part="rating">
      <legend>${s.rateQuestion}</legend>
      <div class="thumbs">${thumb('up', '👍', s.rateUp)} ${thumb('down', '👎', s.rateDown)}</div>
      <label for="comment">${s.rateComment}</label>
      <textarea id="comment" rows="2" maxlength="1000"></textarea>
      <div class="actions">
        <button type="button" ?disabled=${!this.choice} @click=${this.send}>${s.rateSend}</button>
      </div>
      ${this.failed ? html`<p role="alert">${s.errors.internal} ${s.tryAgainLater}</p>` : nothing}
    </fieldset>`;
  }

  override render() {
    const s = this.strings;
    const fire = (name: string) => () =>
      this.dispatchEvent(new Event(name, { bubbles: true, composed: true }));
    return html`<p role="status">${this.ending}</p>
      ${this.rating ? html`<p role="status">${s.rateThanks}</p>` : this.canRate ? this.rateForm() : nothing}
      <div class="actions">
        <button type="button" @click=${fire('help-download-transcript')}>
          ${s.downloadTranscript}
        </button>
        <button type="button" @click=${fire('help-restart')}>${s.startNewChat}</button>
      </div>`;
  }
}

if (!customElements.get('help-chat-ended')) customElements.define('help-chat-ended', HelpChatEnded);

declare global {
  interface HTMLElementTagNameMap {
    'help-chat-ended': HelpChatEnded;
  }
  interface HTMLElementEventMap {
    'help-rate': HelpRateEvent;
  }
}
