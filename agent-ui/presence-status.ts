import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Presence } from '../protocol/domain.ts';
import { strings } from './strings.ts';

/**
 * @summary Whether the visitor is still there: "Online", "Away" or "Gone", in words, with a
 * coloured dot that only repeats them (hidden from assistive technology). Nothing when the
 * server does not know (conversations from before presence was kept).
 * @cssproperty --help-presence-online - The dot's colour when online.
 * @cssproperty --help-presence-away - The dot's colour when away.
 * @cssproperty --help-presence-gone - The dot's colour when gone.
 */
export class HelpPresenceStatus extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
      font-size: 0.85rem;
    }
    .dot {
      width: 0.6rem;
      height: 0.6rem;
      border-radius: 50%;
      flex: none;
    }
    .online {
      background: var(--help-presence-online, #1a7f37);
    }
    .away {
      background: var(--help-presence-away, #bf8700);
    }
    /* Hollow: gone reads differently from the others even to those who cannot tell colours. */
    .gone {
      box-sizing: border-box;
      border: 2px solid var(--help-presence-gone, #6e7781);
    }
  `;

  @property() presence: Presence | undefined;

  override render() {
    const presence = this.presence;
    if (!presence) return nothing;
    return html`<span class="dot ${presence}" aria-hidden="true"></span
      ><span>${strings.presence[presence]}</span>`;
  }
}

if (!customElements.get('help-presence-status')) {
  customElements.define('help-presence-status', HelpPresenceStatus);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-presence-status': HelpPresenceStatus;
  }
}
