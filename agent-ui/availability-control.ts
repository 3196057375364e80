import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { HelperStatus } from '../protocol/domain.ts';
import { HelpAvailabilityEvent } from './agent-events.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.availability;

/**
 * @summary The "Available" switch and how many chats at once. Only available helpers are
 * given new requests automatically.
 * @event help-availability - The helper changed either.
 */
export class HelpAvailability extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem;
      }
      [role='switch'][aria-checked='false'] {
        background: #fff;
        color: #1d1d1f;
        border-color: #8a929c;
      }
      input {
        width: 3.5rem;
      }
    `,
  ];

  @property({ attribute: false }) status: HelperStatus | undefined;

  private change(availability: HelperStatus['availability'], capacity: number): void {
    this.dispatchEvent(new HelpAvailabilityEvent(availability, capacity));
  }

  override render() {
    const available = this.status?.availability === 'available';
    const capacity = this.status?.capacity ?? 3;
    return html`<button
        type="button"
        role="switch"
        aria-checked=${available}
        ?disabled=${!this.status}
        @click=${() => this.change(available ? 'away' : 'available', capacity)}
      >
        ${words.available}
      </button>
      <span class="muted" aria-hidden="true">${available ? words.takingChats : words.away}</span>
      <label
        >${words.capacity}
        <input
          type="number"
          min="1"
          max="20"
          .value=${live(String(capacity))}
          ?disabled=${!this.status}
          @change=${(e: Event) => {
            // Out of range or not a number: keep within 1-20, and show what was kept (live()).
            const typed = Math.round(Number((e.target as HTMLInputElement).value));
            const value = Number.isFinite(typed) ? Math.min(20, Math.max(1, typed)) : capacity;
            (e.target as HTMLInputElement).value = String(value);
            if (value !== capacity) this.change(this.status?.availability ?? 'away', value);
          }}
      /></label>`;
  }
}

if (!customElements.get('help-availability')) {
  customElements.define('help-availability', HelpAvailability);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-availability': HelpAvailability;
  }
}
