import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { HelpJoinEvent } from './agent-events.ts';
import { base, oneLineForm } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.join;

/** A code that belongs to a conversation another helper answers: asked before taking it. */
export interface TakeoverQuestion {
  code: string;
  helperName: string;
  visitorName?: string;
}

/**
 * @summary "Join code" + "Join": a helper on the phone types the code the visitor reads out.
 * When another helper answers that conversation, it asks before taking it over.
 * @event help-join - The helper submits a code, or confirms the takeover (`takeOver`).
 * @event help-join-cancel - The helper decides not to take it over.
 */
export class HelpJoinCode extends LitElement {
  static override styles = [
    base,
    oneLineForm,
    css`
      input {
        width: 8rem;
      }
      .takeover {
        margin-top: 0.5rem;
        padding: 0.6rem;
        border: 1px solid #c9a227;
        border-radius: 0.4rem;
        background: #fff8e1;
      }
      .takeover p {
        margin: 0 0 0.5rem;
      }
      .takeover div {
        display: flex;
        gap: 0.5rem;
      }
    `,
  ];

  /** The answer to the last attempt, shown under the form. */
  @property() error = '';
  /** Set when the code's conversation is another helper's: the question to ask. */
  @property({ attribute: false }) takeover: TakeoverQuestion | undefined;

  @query('.takeover button') private confirmButton?: HTMLButtonElement;
  @query('input') private input?: HTMLInputElement;

  protected override updated(changed: PropertyValues<this>): void {
    // The helper's next step is the question: take them to it, and back to the box after.
    if (!changed.has('takeover')) return;
    if (this.takeover) this.confirmButton?.focus();
    else if (changed.get('takeover')) this.input?.focus();
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
    this.dispatchEvent(new HelpJoinEvent(input.value));
  }

  private confirm(): void {
    if (this.takeover) this.dispatchEvent(new HelpJoinEvent(this.takeover.code, true));
  }

  private cancel(): void {
    this.dispatchEvent(new Event('help-join-cancel', { bubbles: true, composed: true }));
  }

  /** Clears the box after a successful join. */
  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
  }

  override render() {
    const question = this.takeover;
    return html`<form @submit=${this.submit}>
        <label
          >${words.code}
          <input
            name="code"
            inputmode="numeric"
            autocomplete="off"
            placeholder=${words.placeholder}
            required
        /></label>
        <button type="submit">${words.submit}</button>
      </form>
      ${
        question
          ? html`<div
            class="takeover"
            role="group"
            aria-labelledby="takeover-question"
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Escape') this.cancel();
            }}
          >
            <p id="takeover-question">${words.question(question.visitorName, question.helperName)}</p>
            <div>
              <button type="button" @click=${this.confirm}>
                ${words.takeOver(question.helperName)}
              </button>
              <button type="button" class="quiet" @click=${this.cancel}>${words.cancel}</button>
            </div>
          </div>`
          : nothing
      }
      <p role="alert">${this.error}</p>`;
  }
}

if (!customElements.get('help-join-code')) customElements.define('help-join-code', HelpJoinCode);

declare global {
  interface HTMLElementTagNameMap {
    'help-join-code': HelpJoinCode;
  }
}
