import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { MirrorStatus } from '../../protocol/mirror.ts';
import type { Locale } from '../i18n/pick-locale.ts';
import { MIRROR_STRINGS } from './strings.ts';

/** The visitor answered "Share this page" (true) or "Not now" (false). */
export class HelpMirrorAnswerEvent extends Event {
  constructor(readonly allow: boolean) {
    super('help-mirror-answer', { bubbles: true, composed: true });
  }
}

/** The visitor pressed "Stop sharing". */
export class HelpMirrorStopEvent extends Event {
  constructor() {
    super('help-mirror-stop', { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'help-mirror-answer': HelpMirrorAnswerEvent;
    'help-mirror-stop': HelpMirrorStopEvent;
  }
  interface HTMLElementTagNameMap {
    'help-mirror-prompt': HelpMirrorPrompt;
  }
}

/**
 * @summary Mirror mode in the dialog: the helper's question with "Share this page" and
 * "Not now", then, on the shared page, who sees it and "Stop sharing".
 *
 * @event help-mirror-answer - The visitor answered the question.
 * @event help-mirror-stop - The visitor stopped sharing.
 */
export class HelpMirrorPrompt extends LitElement {
  static override styles = css`
    p {
      margin: 0.3rem 0;
    }
    button {
      min-width: 2.75rem;
      min-height: 2.75rem;
      margin-inline-end: 0.4rem;
      padding: 0 0.75rem;
      border: 1px solid currentColor;
      border-radius: 0.4rem;
      background: none;
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    button.primary {
      border-color: var(--help-accent, #1f5fd1);
      background: var(--help-accent, #1f5fd1);
      color: var(--help-on-accent, #fff);
    }
  `;

  @property({ attribute: false }) status: MirrorStatus | undefined;
  /** Whether this page is the one being shared. */
  @property({ type: Boolean }) here = false;
  @property({ type: Boolean }) tooLarge = false;
  @property() locale: Locale = 'en';

  /** Moves focus to the visitor's next step: the answer to the question. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button')?.focus();
  }

  override render() {
    const s = MIRROR_STRINGS[this.locale];
    const name = this.status?.helperName || s.theHelper;
    if (this.status?.state === 'requested') {
      // A group named by the question: focus lands on its first answer, and the question is
      // read with it.
      return html`<div role="group" aria-labelledby="ask">
        <p id="ask"><strong>${s.ask(name)}</strong></p>
        <button class="primary" type="button" @click=${() => this.#answer(true)}>
          ${s.share}
        </button>
        <button type="button" @click=${() => this.#answer(false)}>${s.notNow}</button>
      </div>`;
    }
    if (this.status?.state === 'sharing' && this.here) {
      return html`<p role="status">
        <strong>${s.sharing(name)}</strong> ${s.pressEscOr}
        <button type="button" @click=${() => this.dispatchEvent(new HelpMirrorStopEvent())}>
          ${s.stop}
        </button>
      </p>`;
    }
    return this.tooLarge ? html`<p role="alert">${s.tooLarge}</p>` : nothing;
  }

  #answer(allow: boolean): void {
    this.dispatchEvent(new HelpMirrorAnswerEvent(allow));
  }
}

customElements.define('help-mirror-prompt', HelpMirrorPrompt);
