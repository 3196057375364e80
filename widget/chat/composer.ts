import { css, html, LitElement } from 'lit';
import { property, query } from 'lit/decorators.js';
import { LIMITS } from '../../protocol/limits.ts';
import { type Catalogue, en } from '../i18n/en.ts';
import { HelpSendEvent, HelpTypingEvent } from './chat-events.ts';
import { fieldStyles } from './field-styles.ts';

/**
 * @summary The message box: Enter sends, Shift+Enter starts a new line.
 * @event help-send - The visitor sends a message.
 * @event help-typing - The visitor starts or stops typing.
 */
export class HelpComposer extends LitElement {
  static override styles = [
    fieldStyles,
    css`
      form {
        display: flex;
        gap: 0.5rem;
        padding: 0.5rem;
        border-top: 1px solid #d0d4da;
      }
      label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }
      textarea {
        flex: 1;
        resize: none;
      }
    `,
  ];

  @property({ type: Boolean }) disabled = false;
  @property({ attribute: false }) strings: Pick<Catalogue, 'messageLabel' | 'send'> = en;
  @query('textarea') private textarea!: HTMLTextAreaElement;

  /** The text in the box; the agent page puts a canned reply there. */
  get value(): string {
    return this.textarea?.value ?? '';
  }
  set value(text: string) {
    if (this.textarea) this.textarea.value = text;
  }

  /** Focuses the message box, once it has been drawn. */
  override focus(): void {
    void this.updateComplete.then(() => this.textarea?.focus());
  }

  private submit(event?: Event): void {
    event?.preventDefault();
    const text = this.textarea.value;
    if (!text.trim() || this.disabled) return;
    this.dispatchEvent(new HelpSendEvent(text));
    this.textarea.value = '';
  }

  private keydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) this.submit(event);
  }

  private input(): void {
    this.dispatchEvent(new HelpTypingEvent(this.textarea.value.length > 0));
  }

  override render() {
    return html`<form @submit=${this.submit}>
      <label for="message">${this.strings.messageLabel}</label>
      <textarea
        id="message"
        part="input"
        rows="2"
        maxlength=${LIMITS.messageText}
        ?disabled=${this.disabled}
        @keydown=${this.keydown}
        @input=${this.input}
      ></textarea>
      <button type="submit" part="send-button" ?disabled=${this.disabled}>
        ${this.strings.send}
      </button>
    </form>`;
  }
}

if (!customElements.get('help-composer')) customElements.define('help-composer', HelpComposer);

declare global {
  interface HTMLElementTagNameMap {
    'help-composer': HelpComposer;
  }
}
