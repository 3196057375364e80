import { css, html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CannedReply } from '../protocol/domain.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.canned;

/** A canned reply was chosen: its text goes in the message box. */
export class HelpCannedPickEvent extends Event {
  readonly text: string;
  constructor(text: string) {
    super('help-canned-pick', { bubbles: true, composed: true });
    this.text = text;
  }
}

/** Replies whose shortcut starts with the words typed, or whose text has them. */
export function matchingReplies(replies: readonly CannedReply[], typed: string): CannedReply[] {
  const needle = typed.trim().replace(/^\//, '').toLocaleLowerCase();
  if (!needle) return [...replies];
  const starts = replies.filter((r) => r.shortcut.toLocaleLowerCase().startsWith(needle));
  const inText = replies.filter(
    (r) => !starts.includes(r) && r.text.toLocaleLowerCase().includes(needle),
  );
  return [...starts, ...inText];
}

/**
 * @summary The list that opens when a helper types `/` in an empty message box: a search box
 * (a combobox) over the desk's canned replies. Up and Down choose, Enter or a click puts the
 * reply in the message box, Esc closes.
 * @event help-canned-pick - A reply was chosen.
 * @event help-canned-close - Closed without one.
 */
export class HelpCannedPicker extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        border: 1px solid #8a929c;
        border-radius: 0.5rem;
        padding: 0.5rem;
        margin: 0 0.5rem 0.5rem;
        background: #fff;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      [role='listbox'] {
        max-height: 12rem;
        overflow-y: auto;
        margin-top: 0.35rem;
      }
      [role='option'] {
        padding: 0.3rem 0.4rem;
        border-radius: 0.3rem;
        cursor: pointer;
        overflow-wrap: anywhere;
      }
      [role='option'][aria-selected='true'] {
        background: #1f5fd1;
        color: #fff;
      }
      p {
        margin: 0.35rem 0 0;
      }
    `,
  ];

  @property({ attribute: false }) replies: CannedReply[] = [];
  @state() private typed = '';
  @state() private active = 0;
  @query('input') private input?: HTMLInputElement;

  override focus(): void {
    void this.updateComplete.then(() => this.input?.focus());
  }

  get #found(): CannedReply[] {
    return matchingReplies(this.replies, this.typed);
  }

  #pick(reply: CannedReply | undefined): void {
    if (reply) this.dispatchEvent(new HelpCannedPickEvent(reply.text));
  }

  #keydown(event: KeyboardEvent): void {
    const found = this.#found;
    const moves: Record<string, () => void> = {
      ArrowDown: () => {
        this.active = Math.min(found.length - 1, this.active + 1);
      },
      ArrowUp: () => {
        this.active = Math.max(0, this.active - 1);
      },
      Enter: () => this.#pick(found[this.active]),
      Escape: () =>
        this.dispatchEvent(new Event('help-canned-close', { bubbles: true, composed: true })),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    event.stopPropagation();
    move();
  }

  protected override updated(): void {
    this.renderRoot.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  override render() {
    const found = this.#found;
    const active = Math.min(this.active, found.length - 1);
    return html`<label
        >${words.search}
        <input
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="canned-options"
          aria-autocomplete="list"
          aria-activedescendant=${active >= 0 ? `canned-${active}` : nothing}
          aria-describedby="canned-hint"
          autocomplete="off"
          .value=${this.typed}
          @input=${(e: InputEvent) => {
            this.typed = (e.target as HTMLInputElement).value;
            this.active = 0;
          }}
          @keydown=${this.#keydown}
      /></label>
      <ul id="canned-options" role="listbox" aria-label=${words.listLabel}>
        ${found.map(
          (reply, i) => html`<li
            id=${`canned-${i}`}
            role="option"
            aria-selected=${i === active}
            @click=${() => this.#pick(reply)}
          >
            <strong>/${reply.shortcut}</strong> ${reply.text}
          </li>`,
        )}
      </ul>
      ${found.length === 0 ? html`<p role="status">${words.noMatch}</p>` : nothing}
      <p id="canned-hint" class="muted">${words.pickHint}</p>`;
  }
}

if (!customElements.get('help-canned-picker')) {
  customElements.define('help-canned-picker', HelpCannedPicker);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-canned-picker': HelpCannedPicker;
  }
  interface HTMLElementEventMap {
    'help-canned-pick': HelpCannedPickEvent;
  }
}
