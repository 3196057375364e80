import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';

/**
 * @summary The floating help button a site adds with one tag. This file is the whole
 * loader a visitor downloads up front; the chat arrives with the widget issue as a lazy chunk.
 *
 * @csspart button - The round floating button.
 * @cssproperty --help-accent - Button colour.
 * @cssproperty --help-font - Font family.
 */
export class HelpWidget extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset: auto 1.25rem 1.25rem auto;
      z-index: 2147483000;
      font-family: var(--help-font, system-ui, sans-serif);
    }
    :host([position='bottom-left']) {
      inset: auto auto 1.25rem 1.25rem;
    }
    button {
      display: grid;
      place-items: center;
      width: 3.5rem;
      height: 3.5rem;
      border: 0;
      border-radius: 50%;
      background: var(--help-accent, #1f5fd1);
      color: var(--help-on-accent, #fff);
      box-shadow: 0 4px 14px rgb(0 0 0 / 25%);
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid var(--help-focus, #ffbf47);
      outline-offset: 3px;
    }
    svg {
      width: 1.75rem;
      height: 1.75rem;
    }
  `;

  /** The button's accessible name. */
  @property() label = 'Help';

  /** `bottom-right` (default) or `bottom-left`. */
  @property({ reflect: true }) position: 'bottom-right' | 'bottom-left' = 'bottom-right';

  override render() {
    return html`<button part="button" type="button" aria-label=${this.label}>
      <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
        <path
          d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 16.5a1.25 1.25 0 1 1 0-2.5 1.25 1.25 0 0 1 0 2.5Zm1.3-5.2v.7h-2.5v-1c0-1.2.7-1.9 1.5-2.4.7-.5 1.2-.8 1.2-1.5 0-.8-.6-1.3-1.5-1.3s-1.6.5-1.7 1.4H7.8C8 6.9 9.7 5.5 12 5.5c2.4 0 4 1.3 4 3.2 0 1.5-.9 2.3-1.8 2.9-.6.4-.9.7-.9 1.7Z"
        />
      </svg>
    </button>`;
  }
}

// Two copies of the script on one page must not throw.
if (!customElements.get('help-widget')) customElements.define('help-widget', HelpWidget);

declare global {
  interface HTMLElementTagNameMap {
    'help-widget': HelpWidget;
  }
}
