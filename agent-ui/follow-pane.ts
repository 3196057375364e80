import { css, html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ControlState, FocusValue, FollowGrant, FollowMessage } from '../protocol/cobrowse.ts';
import { safeHref } from './format.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.follow;

/** How long a copy may take to say hello before the pane says it did not connect. */
const HELLO_WAIT_MS = 6000;
/**
 * A frame the site refuses still fires `load` (on the browser's error page), and a copy that
 * loaded says hello within moments: after `load`, waiting the full time would only be slower.
 */
const AFTER_LOAD_WAIT_MS = 2000;
/** A cross-origin window tells nobody it closed; `closed` is all the opener may read. */
const CLOSED_POLL_MS = 500;

/** The separate window: none yet, open, closed by the helper, or refused by the browser. */
type WindowState = 'none' | 'open' | 'closed' | 'blocked';

/**
 * @summary The helper's copy of the visitor's page, in a frame (or a window when the site
 * forbids framing). The copy runs the site's own widget, which says hello by postMessage;
 * this pane answers with a follow token, to that frame or window and that origin only.
 * The frame is sandboxed without `allow-top-navigation`: the visitor's site runs its own
 * scripts there but cannot send the agent page elsewhere.
 * @event help-unfollow - The helper stops following.
 */
export class HelpFollowPane extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: flex;
        flex-direction: column;
        border: 1px solid #d0d4da;
        border-radius: 0.6rem;
        overflow: hidden;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        padding: 0.5rem 0.75rem;
        border-bottom: 1px solid #d0d4da;
      }
      h2 {
        margin: 0;
        flex: 1;
      }
      iframe {
        display: block;
        width: 100%;
        height: 60vh;
        border: 0;
      }
      /* Beside the chat the frame takes all the height the pane is given. */
      :host([fill]) iframe {
        flex: 1 1 auto;
        height: auto;
        min-height: 0;
      }
      /* Every pixel of height the tools do not take, the page gets. */
      :host([fill]) header {
        padding: 0.3rem 0.5rem;
        gap: 0.35rem;
      }
      :host([fill]) h2 {
        font-size: 0.95rem;
      }
      :host([fill]) button {
        font-size: 0.85rem;
        padding: 0.2rem 0.55rem;
      }
      :host([fill]) .state {
        font-size: 0.85rem;
        padding: 0.2rem 0.5rem;
      }
      .state {
        display: flex;
        flex-wrap: wrap;
        gap: 0 1rem;
        padding: 0.35rem 0.75rem;
      }
      p {
        margin: 0;
      }
    `,
  ];

  @property() conversationId = '';
  /** The visitor's page now, as the conversation last reported it. */
  @property() pageUrl = '';
  /** Starts follow mode and grants a fresh token (one per page load of the copy). */
  @property({ attribute: false }) grant: () => Promise<FollowGrant | undefined> = async () =>
    undefined;
  /** False once the visitor has pressed "Stop sharing". */
  @property({ type: Boolean }) active = true;
  /** The visitor's window size, as their page last reported it. */
  @property({ attribute: false }) viewport: { width: number; height: number } | undefined;
  /** Whether the visitor is looking at the followed tab. */
  @property({ attribute: false }) visitorFocus: FocusValue | undefined;
  /** "Refresh visitor's page". */
  @property({ attribute: false }) refresh: () => Promise<void> = async () => undefined;
  /** Passing control, as the visitor last answered. */
  @property() control: ControlState = 'none';
  /** "Ask for control". */
  @property({ attribute: false }) askControl: () => Promise<void> = async () => undefined;
  /** Whether the site's rules let the helper ask for control, and point, on this page. */
  @property({ type: Boolean }) allowControl = true;
  @property({ type: Boolean }) allowPoint = true;
  /** Sends the element the helper clicked on the copy to the visitor's page. */
  @property({ attribute: false }) point: (path: string) => Promise<void> = async () => undefined;
  /** Beside the chat: the copy fills the pane's height instead of 60% of the window's. */
  @property({ type: Boolean, reflect: true }) fill = false;

  /** The next click on the copy points at that element. */
  @state() private pointing = false;
  /** The copy is drawn at the visitor's window size, scaled to fit. */
  @state() private atVisitorSize = false;

  /** Where the frame started; its origin is the only one whose hello is answered. */
  @state() private src = '';
  @state() private connected = false;
  /** The copy did not say hello in time. */
  @state() private silent = false;
  @state() private windowState: WindowState = 'none';
  @query('iframe') private frame?: HTMLIFrameElement;
  #popup: Window | null = null;
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
  #closedPoll: ReturnType<typeof setInterval> | undefined;

  readonly #onMessage = (event: MessageEvent<FollowMessage>) => void this.#answer(event);

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('message', this.#onMessage);
    void this.#open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('message', this.#onMessage);
    clearTimeout(this.#helloTimer);
    clearInterval(this.#closedPoll);
    // The window is part of this pane: it must not go on following once the pane is gone.
    this.#popup?.close();
    this.#popup = null;
    if (this.windowState === 'open') this.windowState = 'closed';
  }

  async #open(): Promise<void> {
    const grant = await this.grant();
    // Start where the visitor is now: the latest navigation, or the page they asked from.
    const page = grant?.state.find((c) => c.type === 'navigate');
    this.src = safeHref(page?.type === 'navigate' ? page.value.url : this.pageUrl) ?? '';
    this.#waitForHello(HELLO_WAIT_MS);
  }

  #waitForHello(ms: number): void {
    clearTimeout(this.#helloTimer);
    this.silent = false;
    this.#helloTimer = setTimeout(() => {
      if (!this.connected) this.silent = true;
    }, ms);
  }

  #onFrameLoad(): void {
    if (!this.connected) this.#waitForHello(AFTER_LOAD_WAIT_MS);
  }

  get #siteOrigin(): string {
    return this.src ? new URL(this.src).origin : '';
  }

  /** The one window that may say hello: the separate window while open, else the frame. */
  get #copy(): Window | null {
    if (this.windowState === 'open') return this.#popup;
    return this.frame?.contentWindow ?? null;
  }

  /** Only a hello from our frame or window, from the visitor's site's origin, is answered. */
  async #answer(event: MessageEvent<FollowMessage>): Promise<void> {
    const copy = this.#copy;
    if (!copy || event.source !== copy || event.origin !== this.#siteOrigin) return;
    if (event.data?.source === 'help-widget' && event.data.type === 'follow:point') {
      this.pointing = false;
      await this.point(String(event.data.path));
      return;
    }
    if (event.data?.source !== 'help-widget' || event.data.type !== 'follow:hello') return;
    const grant = await this.grant();
    // The window may have closed, or the frame given way to a window, while we asked.
    if (!grant || this.#copy !== copy) return;
    const message: FollowMessage = {
      source: 'help-agent',
      type: 'follow:grant',
      conversationId: grant.conversationId,
      token: grant.token,
    };
    copy.postMessage(message, event.origin);
    this.connected = true;
    this.silent = false;
  }

  /** The visitor's page now, if still on the site the copy is for; else where it started. */
  #currentPage(): string {
    const now = safeHref(this.pageUrl);
    return now && new URL(now).origin === this.#siteOrigin ? now : this.src;
  }

  private togglePointing(): void {
    this.pointing = !this.pointing;
    const message: FollowMessage = {
      source: 'help-agent',
      type: 'follow:point-mode',
      on: this.pointing,
    };
    this.#copy?.postMessage(message, this.#siteOrigin);
  }

  /** The visitor's window size and whether they are looking at it. */
  #visitorText(): string {
    const parts: string[] = [];
    if (this.viewport) parts.push(words.visitorWindow(this.viewport.width, this.viewport.height));
    if (this.visitorFocus) parts.push(this.visitorFocus.visible ? words.looking : words.elsewhere);
    return parts.join(' — ');
  }

  /**
   * Sized through the CSSOM after each render, not a `style` attribute: the agent page's CSP
   * allows no inline style, and a template's `style=` (styleMap's first render too) is one.
   */
  override updated(): void {
    const frame = this.renderRoot.querySelector('iframe');
    if (!frame) return;
    frame.style.cssText = '';
    Object.assign(frame.style, this.#frameStyle());
  }

  /** The frame at the visitor's window size, scaled down to the pane's width. */
  #frameStyle(): Partial<CSSStyleDeclaration> {
    if (!this.atVisitorSize || !this.viewport) return {};
    const { width, height } = this.viewport;
    const scale = Math.min(1, (this.clientWidth || width) / width);
    return {
      width: `${width}px`,
      height: `${height}px`,
      transform: `scale(${scale})`,
      transformOrigin: 'top left',
      marginBottom: `${height * (scale - 1)}px`,
    };
  }

  private openWindow(): void {
    // Opened in the click itself: after an await the browser would count it as a pop-up.
    const popup = window.open(
      this.#currentPage(),
      `help-follow-${this.conversationId}`,
      'popup,width=1100,height=800',
    );
    if (!popup) {
      this.windowState = 'blocked';
      return;
    }
    this.#popup = popup;
    this.windowState = 'open';
    // The frame goes, and with it its copy: one follower per pane.
    this.connected = false;
    this.#waitForHello(HELLO_WAIT_MS);
    clearInterval(this.#closedPoll);
    this.#closedPoll = setInterval(() => {
      if (popup.closed) this.#windowGone();
    }, CLOSED_POLL_MS);
  }

  private closeWindow(): void {
    this.#popup?.close();
    this.#windowGone();
  }

  #windowGone(): void {
    clearInterval(this.#closedPoll);
    clearTimeout(this.#helloTimer);
    this.#popup = null;
    this.windowState = 'closed';
    this.connected = false;
    this.silent = false;
  }

  #status(): string {
    if (!this.active) return words.stoppedSharing;
    switch (this.windowState) {
      case 'blocked':
        return words.blocked;
      case 'closed':
        return words.windowClosed;
      case 'open':
        if (this.connected) return words.followingInWindow;
        return this.silent ? words.windowSilent : words.openingWindow;
      case 'none':
        if (this.connected) return words.following;
        return this.silent ? words.frameSilent : words.loading;
    }
  }

  override render() {
    const inWindow = this.windowState === 'open' || this.windowState === 'closed';
    return html`<header>
        <h2>${words.heading}</h2>
        ${
          this.windowState === 'open'
            ? html`<button type="button" class="quiet" @click=${this.closeWindow}>
                ${words.closeWindow}
              </button>`
            : html`<button
                type="button"
                class="quiet"
                @click=${this.openWindow}
                ?disabled=${!this.src}
              >
                ${words.openWindow}
              </button>`
        }
        <button type="button" class="quiet" ?disabled=${!this.connected} @click=${() => this.refresh()}>
          ${words.refresh}
        </button>
        ${
          this.allowControl
            ? html`<button
                type="button"
                class="quiet"
                ?disabled=${!this.connected || this.control === 'granted' || this.control === 'requested'}
                @click=${() => this.askControl()}
              >
                ${words.askControl}
              </button>`
            : nothing
        }
        ${
          this.allowPoint
            ? html`<button
                type="button"
                class="quiet"
                aria-pressed=${this.pointing}
                ?disabled=${!this.connected}
                @click=${this.togglePointing}
              >
                ${words.point}
              </button>`
            : nothing
        }
        <button
          type="button"
          class="quiet"
          aria-pressed=${this.atVisitorSize}
          ?disabled=${!this.viewport}
          @click=${() => {
            this.atVisitorSize = !this.atVisitorSize;
          }}
        >
          ${words.atVisitorSize}
        </button>
        <button
          type="button"
          class="quiet"
          @click=${() => this.dispatchEvent(new Event('help-unfollow', { bubbles: true, composed: true }))}
        >
          ${words.stop}
        </button>
      </header>
      <div class="state">
        <p role="status">${this.#status()}</p>
        <p class="muted">${this.#visitorText()}</p>
        <p aria-live="polite">${words.control[this.control]}</p>
        ${this.pointing ? html`<p class="muted">${words.pointHint}</p>` : nothing}
      </div>
      ${
        this.src && !inWindow
          ? html`<iframe
              title=${words.frameTitle}
              src=${this.src}
              sandbox="allow-scripts allow-same-origin allow-forms allow-popups"
              @load=${this.#onFrameLoad}
            ></iframe>`
          : nothing
      }`;
  }
}

if (!customElements.get('help-follow-pane'))
  customElements.define('help-follow-pane', HelpFollowPane);

declare global {
  interface HTMLElementTagNameMap {
    'help-follow-pane': HelpFollowPane;
  }
}
