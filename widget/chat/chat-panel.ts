import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { formatJoinCode } from '../../protocol/limits.ts';
import { HelpMessageEvent } from '../events.ts';
import {
  HelpCloseRequestEvent,
  type HelpSendEvent,
  type HelpTypingEvent,
  HelpUnreadEvent,
} from './chat-events.ts';
import { ChatSession } from './chat-session.ts';
import { toVisitorInfo } from './client-details.ts';
import type { HelpComposer } from './composer.ts';
import './composer.ts';
import './message-list.ts';

/**
 * @summary The chat dialog and the conversation behind it: the mediator that owns the chat
 * state. Loaded lazily by `<help-widget>` on the first press, or at page load when a
 * conversation is going on.
 *
 * @event help-close-request - The visitor closed the dialog (button or Esc).
 * @event help-unread - The unread count changed.
 * @event help-open-request - Follow mode started while the dialog was closed: show it.
 * @event help-message - A helper's message arrived (public, re-fired by the widget's host).
 * @csspart dialog - The dialog box.
 */
export class HelpChatPanel extends LitElement {
  static override styles = css`
    [role='dialog'] {
      position: absolute;
      right: 0;
      bottom: 4.5rem;
      width: min(22rem, calc(100vw - 2.5rem));
      height: min(32rem, calc(100vh - 7rem));
      display: flex;
      flex-direction: column;
      background: var(--help-surface, #fff);
      color: var(--help-text, #1d1d1f);
      border-radius: var(--help-radius, 0.9rem);
      box-shadow: 0 10px 40px rgb(0 0 0 / 25%);
      overflow: hidden;
      animation: rise 160ms ease-out;
    }
    :host([position='bottom-left']) [role='dialog'] {
      right: auto;
      left: 0;
    }
    @media (max-width: 30rem) {
      [role='dialog'] {
        position: fixed;
        inset: 0;
        width: auto;
        height: auto;
        border-radius: 0;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      [role='dialog'] {
        animation: none;
      }
    }
    @keyframes rise {
      from {
        transform: translateY(0.75rem);
        opacity: 0;
      }
    }
    header {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.6rem 0.75rem;
      background: var(--help-accent, #1f5fd1);
      color: var(--help-on-accent, #fff);
    }
    h2 {
      flex: 1;
      margin: 0;
      font-size: 1rem;
    }
    header button {
      background: none;
      color: inherit;
      border: 0;
      font-size: 1.4rem;
      line-height: 1;
      cursor: pointer;
    }
    .info {
      margin: 0;
      padding: 0.4rem 0.75rem;
      font-size: 0.85rem;
      background: var(--help-info, #f4f6f8);
      border-bottom: 1px solid #d0d4da;
    }
    .info p {
      margin: 0.15rem 0;
    }
    help-message-list {
      flex: 1;
    }
    .typing {
      min-height: 1.2em;
      margin: 0 0.75rem;
      font-size: 0.8rem;
      font-style: italic;
    }
    footer {
      display: flex;
      justify-content: flex-end;
      padding: 0 0.5rem 0.5rem;
    }
    footer button,
    .info button {
      font: inherit;
      font-size: 0.85rem;
      background: none;
      border: 1px solid currentColor;
      border-radius: 0.4rem;
      padding: 0.2rem 0.6rem;
      cursor: pointer;
    }
    :focus-visible {
      outline: 3px solid var(--help-focus, #ffbf47);
      outline-offset: 2px;
    }
  `;

  /** Origin of the help server. */
  @property() server = '';
  @property() phone = '';
  /** The dialog's title. */
  @property() heading = 'Help';
  @property({ type: Boolean }) open = false;
  @property({ reflect: true }) position = 'bottom-right';
  /** What `identify()` was told, sent with the next help request. */
  @property({ attribute: false }) visitorInfo: Record<string, unknown> = {};

  @query('help-composer') private composer?: HelpComposer;

  readonly session = new ChatSession(this, {
    server: () => this.server,
    visitorInfo: () => toVisitorInfo(this.visitorInfo),
    isOpen: () => this.open,
    onHelperMessage: (message) => this.dispatchEvent(new HelpMessageEvent(message)),
  });
  #unreadShown = -1;
  #attention = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open')) {
      this.session.setOpen(this.open);
      // Opening after a chat ended starts a new one; the ended one stays readable until then.
      if (this.open && !this.session.active) {
        if (this.session.phase === 'ended') this.session.reset();
        void this.session.start();
      }
    }
    if (this.open) this.session.markRead();
  }

  /** Focus goes to the message box, or to the dialog when the chat has ended. */
  override focus(): void {
    if (this.composer) this.composer.focus();
    else this.renderRoot.querySelector<HTMLElement>('[role="dialog"]')?.focus();
  }

  protected override updated(): void {
    // The visitor must see that their page is being followed, and a request for control,
    // dialog open or not: each new one opens it.
    const { following, control } = this.session;
    const attention = !following ? '' : control?.state === 'requested' ? 'asked' : 'followed';
    if (attention && attention !== this.#attention && !this.open) {
      this.dispatchEvent(new Event('help-open-request', { bubbles: true, composed: true }));
    }
    this.#attention = attention;
    if (this.session.unread !== this.#unreadShown) {
      this.#unreadShown = this.session.unread;
      this.dispatchEvent(new HelpUnreadEvent(this.#unreadShown));
    }
  }

  private keydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.dispatchEvent(new HelpCloseRequestEvent());
    }
  }

  private statusText(): string {
    const { phase, conversation } = this.session;
    if (phase === 'idle' || phase === 'requesting' || phase === 'connecting') return 'Connecting…';
    if (phase === 'offline') return "You're offline. Messages will be sent when you're back.";
    if (phase === 'failed') return this.session.error;
    if (phase === 'ended' || conversation?.status === 'ended') return 'This chat has ended.';
    if (conversation?.status === 'assigned') return `${conversation.helperName} is here to help.`;
    if (conversation && !conversation.helpersAvailable) {
      return 'No one is online right now — leave your message and a helper will answer here.';
    }
    if (conversation?.queuePosition) {
      return conversation.queuePosition === 1
        ? 'You are next in line for a helper.'
        : `You are number ${conversation.queuePosition} in line for a helper.`;
    }
    return 'Connected.';
  }

  override render() {
    if (!this.open) return nothing;
    const { session } = this;
    const conversation = session.conversation;
    const ended = session.phase === 'ended';
    const code = conversation && !ended ? formatJoinCode(conversation.joinCode) : '';
    return html`<div
      role="dialog"
      aria-labelledby="title"
      part="dialog"
      tabindex="-1"
      @keydown=${this.keydown}
    >
      <header>
        <h2 id="title">${this.heading}</h2>
        <button type="button" aria-label="Close" @click=${() => this.dispatchEvent(new HelpCloseRequestEvent())}>×</button>
      </header>
      <div class="info">
        <p role="status">${this.statusText()}</p>
        ${code ? html`<p>Your help code: <strong>${code}</strong></p>` : nothing}
        ${
          code && this.phone
            ? html`<p>Prefer the phone? Call <a href="tel:${this.phone.replace(/[^+\d]/g, '')}">${this.phone}</a> and quote your code.</p>`
            : nothing
        }
        ${
          session.following
            ? html`<p class="following">
              <strong>${session.following.helperName} is following your page.</strong>
              <button type="button" @click=${() => session.stopSharing()}>Stop sharing</button>
            </p>`
            : nothing
        }
        ${
          session.control?.state === 'requested'
            ? html`<p class="following">
              <strong
                >Allow ${session.control.helperName} to scroll, navigate and fill in fields?</strong
              >
              <button type="button" @click=${() => session.answerControl(true)}>Allow</button>
              <button type="button" @click=${() => session.answerControl(false)}>Deny</button>
            </p>`
            : nothing
        }
        ${
          session.control?.state === 'granted'
            ? html`<p class="following" role="alert">
              <strong>${session.control.helperName} is in control of this page.</strong> Press Esc
              or
              <button type="button" @click=${() => session.answerControl(false)}>
                Take back control
              </button>
            </p>`
            : nothing
        }
        ${session.phase === 'failed' ? html`<button type="button" @click=${() => session.start()}>Try again</button>` : nothing}
        ${ended ? html`<button type="button" @click=${this.restart}>Start a new chat</button>` : nothing}
      </div>
      <help-message-list
        role="log"
        aria-label="Messages"
        self="visitor"
        .messages=${session.messages}
        .pending=${session.pending}
        .readUpTo=${conversation?.readUpTo.helper ?? ''}
      ></help-message-list>
      <p class="typing">${session.helperTyping ? `${conversation?.helperName ?? 'The helper'} is typing…` : ''}</p>
      ${
        ended
          ? nothing
          : html`<help-composer
              @help-send=${(e: HelpSendEvent) => session.send(e.text)}
              @help-typing=${(e: HelpTypingEvent) => session.typing(e.typing)}
            ></help-composer>
            <footer>
              <button type="button" ?disabled=${!session.active} @click=${() => session.end()}>End chat</button>
            </footer>`
      }
    </div>`;
  }

  private restart(): void {
    this.session.reset();
    void this.session.start();
  }
}

if (!customElements.get('help-chat-panel')) customElements.define('help-chat-panel', HelpChatPanel);

declare global {
  interface HTMLElementTagNameMap {
    'help-chat-panel': HelpChatPanel;
  }
}
