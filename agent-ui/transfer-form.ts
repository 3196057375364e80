import { css, html, LitElement } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LIMITS } from '../protocol/limits.ts';
import { HelpTransferEvent } from './agent-events.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.transfer;

/**
 * @summary "Transfer the chat with Ann": who to (the colleagues signed in and available now,
 * asked when it opens) and a note for them. Focus starts on the choice; Esc cancels.
 * @event help-transfer - The helper confirmed: to whom, with what note.
 * @event help-transfer-cancel - Closed without a transfer.
 */
export class HelpTransferForm extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: 0.6rem 0.75rem;
        border-bottom: 1px solid #d0d4da;
        background: #fff8e1;
      }
      p {
        margin: 0 0 0.5rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
        margin-bottom: 0.5rem;
      }
      select,
      textarea {
        font: inherit;
        padding: 0.3rem;
        border: 1px solid #8a929c;
        border-radius: 0.4rem;
      }
      div {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
    `,
  ];

  /** The visitor, as the desk names them. */
  @property() visitor = '';
  /** Who could take the chat now; set by the desk. */
  @property({ attribute: false }) colleagues: () => Promise<{ name: string }[]> = async () => [];

  @state() private found: { name: string }[] | undefined;
  @query('select, .cancel') private first?: HTMLElement;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.colleagues().then(async (found) => {
      this.found = found;
      await this.updateComplete;
      this.first?.focus();
    });
  }

  #cancel(): void {
    this.dispatchEvent(new Event('help-transfer-cancel', { bubbles: true, composed: true }));
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const to = String(form.get('to') ?? '');
    if (to) this.dispatchEvent(new HelpTransferEvent(to, String(form.get('note') ?? '').trim()));
  }

  override render() {
    const found = this.found;
    const cancel = html`<button type="button" class="quiet cancel" @click=${this.#cancel}>
      ${words.cancel}
    </button>`;
    return html`<form
      aria-labelledby="transfer-title"
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') this.#cancel();
      }}
      @submit=${this.#submit}
    >
      <p id="transfer-title"><strong>${words.heading(this.visitor)}</strong></p>
      ${
        found === undefined || found.length === 0
          ? html`<p role="status">${found ? words.nobody : words.loading}</p>
              <div>${cancel}</div>`
          : html`<label
                >${words.to}
                <select name="to" required>
                  ${found.map((h) => html`<option value=${h.name}>${h.name}</option>`)}
                </select></label
              >
              <label
                >${words.note}
                <textarea name="note" rows="3" maxlength=${LIMITS.messageText}></textarea
              ></label>
              <div>
                <button type="submit">${words.submit}</button>
                ${cancel}
              </div>`
      }
    </form>`;
  }
}

if (!customElements.get('help-transfer-form')) {
  customElements.define('help-transfer-form', HelpTransferForm);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-transfer-form': HelpTransferForm;
  }
}
