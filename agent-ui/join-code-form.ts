import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { HelpJoinEvent } from './agent-events.ts';
import { base } from './shared-styles.ts';

/**
 * @summary "Join code" + "Join": a helper on the phone types the code the visitor reads out.
 * @event help-join - The helper submits a code.
 */
export class HelpJoinCode extends LitElement {
  static override styles = [
    base,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      input {
        width: 8rem;
      }
    `,
  ];

  /** The answer to the last attempt, shown under the form. */
  @property() error = '';

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
    this.dispatchEvent(new HelpJoinEvent(input.value));
  }

  /** Clears the box after a successful join. */
  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
  }

  override render() {
    return html`<form @submit=${this.submit}>
        <label
          >Join code
          <input name="code" inputmode="numeric" autocomplete="off" placeholder="482 913" required
        /></label>
        <button type="submit">Join</button>
      </form>
      <p role="alert">${this.error}</p>`;
  }
}

if (!customElements.get('help-join-code')) customElements.define('help-join-code', HelpJoinCode);

declare global {
  interface HTMLElementTagNameMap {
    'help-join-code': HelpJoinCode;
  }
}
