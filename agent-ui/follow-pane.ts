import { css, html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { FollowGrant, FollowMessage } from '../protocol/cobrowse.ts';
import { safeHref } from './format.ts';
import { base } from './shared-styles.ts';

const HELLO_WAIT_MS = 6000;

/**
 * @summary The helper's copy of the visitor's page, in a frame (or a window when the site
 * forbids framing). The copy runs the site's own widget, which says hello by postMessage;
 * this pane answers with a follow token, to that frame and that origin only.
 * @event help-unfollow - The helper stops following.
 */
export class HelpFollowPane extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
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
      p {
        margin: 0.5rem 0.75rem;
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

  @state() private src = '';
  @state() private connected = false;
  @state() private blocked = false;
  @state() private inWindow = false;
  @query('iframe') private frame?: HTMLIFrameElement;
  #popup: Window | null = null;
  #helloTimer: ReturnType<typeof setTimeout> | undefined;

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
    this.#popup?.close();
  }

  async #open(): Promise<void> {
    const grant = await this.grant();
    // Start where the visitor is now: the latest navigation, or the page they asked from.
    const page = grant?.state.find((c) => c.type === 'navigate');
    this.src = safeHref(page?.type === 'navigate' ? page.value.url : this.pageUrl) ?? '';
    this.#waitForHello();
  }

  #waitForHello(): void {
    clearTimeout(this.#helloTimer);
    this.#helloTimer = setTimeout(() => {
      if (!this.connected) this.blocked = true;
    }, HELLO_WAIT_MS);
  }

  /** Only a hello from our frame or window, from the visitor's site's origin, is answered. */
  async #answer(event: MessageEvent<FollowMessage>): Promise<void> {
    const fromCopy =
      (this.frame && event.source === this.frame.contentWindow) ||
      (this.#popup && event.source === this.#popup);
    const siteOrigin = this.src ? new URL(this.src).origin : '';
    if (!fromCopy || event.origin !== siteOrigin) return;
    if (event.data?.source !== 'help-widget' || event.data.type !== 'follow:hello') return;
    const grant = await this.grant();
    if (!grant) return;
    const message: FollowMessage = {
      source: 'help-agent',
      type: 'follow:grant',
      conversationId: grant.conversationId,
      token: grant.token,
    };
    (event.source as Window).postMessage(message, event.origin);
    this.connected = true;
    this.blocked = false;
  }

  private openWindow(): void {
    this.#popup = open(
      this.src,
      `help-follow-${this.conversationId}`,
      'popup,width=1100,height=800',
    );
    this.inWindow = this.#popup !== null;
    this.connected = false;
    this.#waitForHello();
  }

  override render() {
    return html`<header>
        <h2>Visitor's page</h2>
        <button type="button" class="quiet" @click=${this.openWindow} ?disabled=${!this.src}>
          Open in new window
        </button>
        <button
          type="button"
          class="quiet"
          @click=${() => this.dispatchEvent(new Event('help-unfollow', { bubbles: true, composed: true }))}
        >
          Stop following
        </button>
      </header>
      <p role="status">
        ${
          !this.active
            ? 'The visitor stopped sharing their page.'
            : this.connected
              ? 'Following the visitor.'
              : this.blocked
                ? 'The page did not connect here: the site may not allow being shown in a frame. Use "Open in new window".'
                : 'Loading the visitor\u2019s page…'
        }
      </p>
      ${
        this.src && !this.inWindow
          ? html`<iframe title="Visitor's page" src=${this.src}></iframe>`
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
