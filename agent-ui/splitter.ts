import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';

/** How far one arrow key press moves the splitter, in percent; Page Up/Down move further. */
const STEP = 2;
const BIG_STEP = 10;

/** The page pane's new share of the width, in percent, from the splitter. */
export class HelpResizeEvent extends Event {
  readonly share: number;
  constructor(share: number) {
    super('help-resize', { bubbles: true, composed: true });
    this.share = share;
  }
}

/**
 * @summary A vertical window splitter (the WAI-ARIA pattern): focusable, its value the share of
 * the width the part after it (the visitor's page) takes. Dragged with a pointer, or moved with
 * the arrow keys, Page Up/Down, Home and End. Its parent is the area it divides.
 * @event help-resize - The share changed.
 */
export class HelpSplitter extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      justify-content: center;
      cursor: col-resize;
      touch-action: none;
      outline: none;
    }
    :host(:focus-visible) .bar {
      outline: 3px solid #ffbf47;
      outline-offset: 1px;
    }
    .bar {
      width: 4px;
      margin: 0 auto;
      border-radius: 2px;
      background: #c4c9d0;
    }
    :host(:hover) .bar,
    :host([dragging]) .bar {
      background: #1f5fd1;
    }
  `;

  /** The share, in percent, of what follows the splitter. */
  @property({ type: Number }) share = 70;
  @property({ type: Number }) min = 30;
  @property({ type: Number }) max = 85;
  /** What the splitter separates, e.g. "Resize the chat and the visitor's page". */
  @property() label = '';
  /** The value in words, e.g. "The page takes 70% of the width". */
  @property({ attribute: false }) valueText: (share: number) => string = (share) => `${share}%`;

  override connectedCallback(): void {
    super.connectedCallback();
    this.tabIndex = 0;
    this.setAttribute('role', 'separator');
    this.setAttribute('aria-orientation', 'vertical');
    this.addEventListener('keydown', this.#onKey);
    this.addEventListener('pointerdown', this.#onPointerDown);
  }

  protected override updated(): void {
    this.setAttribute('aria-label', this.label);
    this.setAttribute('aria-valuenow', String(Math.round(this.share)));
    this.setAttribute('aria-valuetext', this.valueText(Math.round(this.share)));
    this.setAttribute('aria-valuemin', String(this.min));
    this.setAttribute('aria-valuemax', String(this.max));
  }

  #set(share: number): void {
    const kept = Math.min(this.max, Math.max(this.min, share));
    if (kept === this.share) return;
    this.share = kept;
    this.dispatchEvent(new HelpResizeEvent(kept));
  }

  readonly #onKey = (event: KeyboardEvent): void => {
    // Left makes the left part (the chat) smaller: the page after the splitter grows.
    const moves: Record<string, number> = {
      ArrowLeft: STEP,
      ArrowRight: -STEP,
      PageUp: BIG_STEP,
      PageDown: -BIG_STEP,
      Home: this.min - this.share,
      End: this.max - this.share,
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    this.#set(this.share + move);
  };

  readonly #onPointerDown = (event: PointerEvent): void => {
    const area = this.parentElement;
    if (!area || event.button !== 0) return;
    event.preventDefault();
    this.focus();
    this.setPointerCapture(event.pointerId);
    this.toggleAttribute('dragging', true);
    const move = (e: PointerEvent) => {
      const box = area.getBoundingClientRect();
      if (box.width > 0) this.#set(((box.right - e.clientX) / box.width) * 100);
    };
    const stop = () => {
      this.toggleAttribute('dragging', false);
      this.removeEventListener('pointermove', move);
      this.removeEventListener('pointerup', stop);
      this.removeEventListener('pointercancel', stop);
    };
    this.addEventListener('pointermove', move);
    this.addEventListener('pointerup', stop);
    this.addEventListener('pointercancel', stop);
  };

  override render() {
    return html`<div class="bar"></div>`;
  }
}

if (!customElements.get('help-splitter')) customElements.define('help-splitter', HelpSplitter);

declare global {
  interface HTMLElementTagNameMap {
    'help-splitter': HelpSplitter;
  }
  interface HTMLElementEventMap {
    'help-resize': HelpResizeEvent;
  }
}
