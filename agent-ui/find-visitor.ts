import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConversationSummary } from '../protocol/domain.ts';
import { HelpJoinEvent } from './agent-events.ts';
import { base, oneLineForm } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.find;

/** The helper looks for a visitor by the site's user id. */
export class HelpFindEvent extends Event {
  readonly userId: string;
  constructor(userId: string) {
    super('help-find', { bubbles: true, composed: true });
    this.userId = userId;
  }
}

/**
 * @summary "Find by user id": the live conversations of the customer the helper is talking
 * to (on the phone, by email), verified ones first, each with "Join" (by its code, so taking
 * it from another helper still asks first).
 * @event help-find - The helper searches.
 * @event help-join - The helper joins one of the conversations found.
 */
export class HelpFindVisitor extends LitElement {
  static override styles = [
    base,
    oneLineForm,
    css`
      input {
        width: 10rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        padding: 0.3rem 0;
      }
    `,
  ];

  /** What the last search found; undefined before any. */
  @property({ attribute: false }) results: ConversationSummary[] | undefined;
  @property() error = '';

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('user') as HTMLInputElement;
    if (input.value.trim()) this.dispatchEvent(new HelpFindEvent(input.value.trim()));
  }

  private entry(found: ConversationSummary) {
    const { visitor } = found;
    const who = visitor.name || words.aVisitor;
    const id = visitor.userId ?? '';
    return html`<li>
      <span
        >${who} · ${visitor.verified ? words.verified(id) : words.claimed(id)} ·
        ${found.helperName ? words.withHelper(found.helperName) : words.waiting}</span
      >
      <button
        type="button"
        class="quiet"
        @click=${() => this.dispatchEvent(new HelpJoinEvent(found.joinCode))}
      >
        ${words.join(who, id)}
      </button>
    </li>`;
  }

  override render() {
    const results = this.results;
    return html`<form @submit=${this.submit}>
        <label
          >${words.userId}
          <input name="user" autocomplete="off" required maxlength="256"
        /></label>
        <button type="submit">${words.submit}</button>
      </form>
      <div role="status">
        ${
          results === undefined
            ? nothing
            : results.length === 0
              ? html`<p class="muted">${words.none}</p>`
              : html`<ul>
                  ${results.map((found) => this.entry(found))}
                </ul>`
        }
      </div>
      <p role="alert">${this.error}</p>`;
  }
}

if (!customElements.get('help-find-visitor')) {
  customElements.define('help-find-visitor', HelpFindVisitor);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-find-visitor': HelpFindVisitor;
  }
  interface HTMLElementEventMap {
    'help-find': HelpFindEvent;
  }
}
