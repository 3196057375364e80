import { Replayer } from '@rrweb/replay';
import { css, html, LitElement } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { KeptMirrorPart } from '../../protocol/mirror.ts';
import { isMasked, MASK } from '../../widget/cobrowse/fields.ts';
import { selectorList } from '../../widget/mirror/masking.ts';
import { base } from '../shared-styles.ts';
import { strings } from '../strings.ts';
import { Assembler } from './assemble.ts';
import { BLOCKED_CLASS, Insulator } from './insulate.ts';

const words = strings.mirror;

/** The helper picked an element on the replay (pointing, or in control). */
export class HelpMirrorPickEvent extends Event {
  constructor(
    readonly nodeId: number,
    /** Set when it is a field: its label as the page gives it, and its value as shown. */
    readonly field: { label: string; value: string; masked: boolean } | undefined,
  ) {
    super('help-mirror-pick', { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'help-mirror-pick': HelpMirrorPickEvent;
  }
}

/** One of rrweb's events, as the replayer takes it. */
type RecordedEvent = Exclude<Parameters<Replayer['addEvent']>[0], string>;

/** What the replay's document gets besides the page's own styles. */
const REPLAY_RULES = [
  // What the site's rules block arrives as its size alone: a grey box says so.
  `.${BLOCKED_CLASS}{display:inline-block;background:repeating-linear-gradient(45deg,#c8ccd2 0 8px,#dfe2e6 8px 16px)!important}`,
  // Links do not go anywhere in a copy; the pointer should not promise they do.
  'a{cursor:default}',
];

/**
 * @summary The visitor's page as they shared it (mirror mode): rrweb's replay of their
 * recording, in a frame sandboxed without scripts, scaled to fit, with their pointer. It
 * fetches nothing from the visitor's site: addresses point at our server (insulate.ts).
 */
export class HelpMirrorPane extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .stage {
        position: relative;
        overflow: hidden;
        border: 1px solid #d0d4da;
        border-radius: 0.4rem;
        background: #f4f6f8;
      }
      .replayer-wrapper {
        position: relative;
        transform-origin: 0 0;
      }
      .replayer-wrapper iframe {
        border: 0;
        background: #fff;
        pointer-events: none;
      }
      .replayer-mouse {
        position: absolute;
        width: 1.25rem;
        height: 1.25rem;
        margin: -0.625rem 0 0 -0.625rem;
        border: 3px solid #c8102e;
        border-radius: 50%;
        background: rgb(200 16 46 / 25%);
        transition:
          left 0.05s linear,
          top 0.05s linear;
      }
      .replayer-mouse-tail {
        position: absolute;
        pointer-events: none;
      }
      .waiting {
        padding: 1rem;
      }
      .pick {
        position: absolute;
        inset: 0;
        cursor: crosshair;
      }
    `,
  ];

  @property() conversationId = '';
  /** The latest snapshot and what followed, kept by the server (`mirror:open`). */
  @property({ attribute: false }) open: () => Promise<KeptMirrorPart[]> = async () => [];
  /** Listens for pieces as they arrive; answers how to stop listening. */
  @property({ attribute: false }) watch: (listener: (part: KeptMirrorPart) => void) => () => void =
    () => () =>
      undefined;

  /** The site's `mask` rules for this page: fields under them are the visitor's alone. */
  @property({ attribute: false }) mask: string[] = [];
  /** Whether a click on the replay picks an element (to point at, or to act on in control). */
  @property({ type: Boolean }) picking = false;

  /** Whether the replay has a picture of the page yet. */
  @state() private showing = false;
  @query('.stage') private stage?: HTMLElement;

  #replayer: Replayer | undefined;
  #unwatch: (() => void) | undefined;
  #resize = new ResizeObserver(() => this.#fit());
  #page = { width: 0, height: 0 };

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back after a move: start again. The first start waits for the first update, when
    // properties set before this element's code loaded have been taken in.
    if (this.hasUpdated) void this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#resize.disconnect();
    this.#replayer?.destroy();
    this.#replayer = undefined;
  }

  override firstUpdated(): void {
    void this.#start();
  }

  async #start(): Promise<void> {
    if (this.stage) this.#resize.observe(this.stage);
    const insulator = new Insulator((url) => {
      const query = new URLSearchParams({ c: this.conversationId, u: url });
      return `${location.origin}/api/mirror/asset?${query}`;
    });
    const assembler = new Assembler((events) => this.#play(events, insulator));
    // Pieces relayed while the kept ones are on their way wait, so they go in after them.
    let early: KeptMirrorPart[] | undefined = [];
    this.#unwatch = this.watch((part) => (early ? early.push(part) : assembler.add(part)));
    for (const part of await this.open()) assembler.add(part);
    for (const part of early) assembler.add(part);
    early = undefined;
  }

  #play(events: unknown[], insulator: Insulator): void {
    if (!this.isConnected) return;
    for (const raw of events) {
      // Played as it arrives: the visitor's clock is not ours, and a kept snapshot is old.
      const event = { ...(raw as object), timestamp: Date.now() } as RecordedEvent;
      this.#replayerFor(event).addEvent(insulator.event(event));
    }
  }

  #replayerFor(first: RecordedEvent): Replayer {
    if (this.#replayer) return this.#replayer;
    const root = this.stage ?? this.renderRoot.appendChild(document.createElement('div'));
    const replayer = new Replayer([], {
      root,
      liveMode: true,
      insertStyleRules: REPLAY_RULES,
      mouseTail: false,
      showWarning: false,
      triggerFocus: false,
      pauseAnimation: false,
    });
    replayer.on('resize', (size) => {
      this.#page = size as { width: number; height: number };
      this.showing = true;
      this.#fit();
    });
    replayer.startLive(first.timestamp);
    this.#replayer = replayer;
    return replayer;
  }

  /** Scales the visitor's window to the pane's width. */
  #fit(): void {
    const wrapper = this.#replayer?.wrapper;
    const stage = this.stage;
    if (!wrapper || !stage || this.#page.width === 0) return;
    const scale = Math.min(1, stage.clientWidth / this.#page.width);
    wrapper.style.transform = `scale(${scale})`;
    stage.style.height = `${Math.round(this.#page.height * scale)}px`;
  }

  /** The element under a click on the stage, by its number in the recording. */
  #pick(event: MouseEvent): void {
    const replayer = this.#replayer;
    const document = replayer?.iframe.contentDocument;
    const stage = this.stage;
    if (!replayer || !document || !stage) return;
    const scale = Math.min(1, stage.clientWidth / (this.#page.width || 1));
    const box = stage.getBoundingClientRect();
    const target = document.elementFromPoint(
      (event.clientX - box.left) / scale,
      (event.clientY - box.top) / scale,
    );
    const nodeId = target ? replayer.getMirror().getId(target) : -1;
    if (!target || nodeId < 0) return;
    this.dispatchEvent(new HelpMirrorPickEvent(nodeId, fieldOf(target, this.mask)));
  }

  override render() {
    return html`<div
        class="stage"
        role="region"
        aria-label=${words.paneLabel}
        aria-busy=${this.showing ? 'false' : 'true'}
      ></div>
      ${
        this.picking
          ? html`<div class="pick" @click=${(e: MouseEvent) => this.#pick(e)}></div>`
          : ''
      }
      ${this.showing ? '' : html`<p class="waiting muted">${words.waitingForPage}</p>`}`;
  }
}

/** A field's name as a person reads it and its value, when `element` is a text field. */
function fieldOf(element: Element, mask: readonly string[]): HelpMirrorPickEvent['field'] {
  const tag = element.tagName.toLowerCase();
  if (tag !== 'input' && tag !== 'textarea' && tag !== 'select') return undefined;
  const type = (element.getAttribute('type') ?? 'text').toLowerCase();
  if (
    ['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'hidden'].includes(type)
  ) {
    return undefined;
  }
  const byLabel =
    (element.id
      ? element.ownerDocument.querySelector(`label[for="${CSS.escape(element.id)}"]`)
      : null) ?? element.closest('label');
  const text =
    element.getAttribute('aria-label') ??
    byLabel?.textContent ??
    element.getAttribute('placeholder') ??
    element.getAttribute('name') ??
    '';
  const value = (element as HTMLInputElement).value ?? '';
  const masks = selectorList(mask);
  return {
    label: text.trim().replace(/\s+/g, ' ').slice(0, 60) || words.unnamedField,
    value,
    // The same rule as the visitor's page applies (remote-actions.ts): their fields alone.
    masked:
      value === MASK || isMasked(element) || (masks !== '' && element.closest(masks) !== null),
  };
}

if (!customElements.get('help-mirror-pane'))
  customElements.define('help-mirror-pane', HelpMirrorPane);

declare global {
  interface HTMLElementTagNameMap {
    'help-mirror-pane': HelpMirrorPane;
  }
}
