import { css, html, LitElement } from 'lit';
import { property, query } from 'lit/decorators.js';
import { LIMITS } from '../../protocol/limits.ts';
import { type Catalogue, en } from '../i18n/en.ts';
import { isEmail } from './client-details.ts';
import { fieldStyles } from './field-styles.ts';

/** The visitor leaves a message while no helper is available. */
export class HelpLeaveMessageEvent extends Event {
  readonly text: string;
  readonly email: string;
  constructor(text: string, email: string) {
    super('help-leave-message', { bubbles: true, composed: true });
    this.text = text;
    this.email = email;
  }
}

/**
 * @summary "Leave a message": what the visitor gets when no one is online. The email is
 * optional; a helper who signs in later answers in the chat, or writes to it.
 * @event help-leave-message - The visitor sent the form.
 * @csspart offline-form - The form.
 */
export class HelpOfflineForm extends LitElement {
  static override styles = [
    fieldStyles,
    css`
      form {
        display: grid;
        gap: 0.4rem;
        padding: 0.5rem 0.75rem 0.75rem;
      }
      label {
        font-size: 0.85rem;
      }
      textarea {
        resize: vertical;
      }
    `,
  ];

  @property({ attribute: false }) strings: Catalogue = en;
  @property({ type: Boolean }) disabled = false;
  @query('textarea') private textarea!: HTMLTextAreaElement;
  @query('input') private input!: HTMLInputElement;

  override focus(): void {
    void this.updateComplete.then(() => this.textarea?.focus());
  }

  private submit(event: Event): void {
    event.preventDefault();
    const text = this.textarea.value;
    const email = this.input.value.trim();
    // The browser says what is wrong with the email, in the visitor's language.
    if (!text.trim() || (email && !isEmail(email))) {
      this.renderRoot.querySelector('form')?.reportValidity();
      return;
    }
    this.dispatchEvent(new HelpLeaveMessageEvent(text, email));
  }

  override render() {
    const s = this.strings;
    return html`<form part="offline-form" @submit=${this.submit}>
      <label for="offline-message">${s.yourMessage}</label>
      <textarea
        id="offline-message"
        rows="3"
        required
        maxlength=${LIMITS.messageText}
        ?disabled=${this.disabled}
      ></textarea>
      <label for="offline-email">${s.emailOptional}</label>
      <input id="offline-email" type="email" autocomplete="email" ?disabled=${this.disabled} />
      <button type="submit" ?disabled=${this.disabled}>${s.leaveMessage}</button>
    </form>`;
  }
}

if (!customElements.get('help-offline-form')) {
  customElements.define('help-offline-form', HelpOfflineForm);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-offline-form': HelpOfflineForm;
  }
  interface HTMLElementEventMap {
    'help-leave-message': HelpLeaveMessageEvent;
  }
}
